// Times the embed on loopback (run by scripts/bench-embed.sh): a host page on another
// origin than the real chat server, a fresh browser profile each run. From the moment
// chinwag.js starts (its script's fetch ends) to the launcher showing, and to the first
// bot message in the open panel (that includes the bot's typing time, as visitors see
// it); and the longest task the host page's main thread ran. Prints medians.
import { launch } from './lib.mjs';
import { startHostAndChat, visit } from './hosts.mjs';

const runs = Number(process.argv[2] ?? 7);
const live = await startHostAndChat();
const browser = await launch();
const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const { context, tab } = await visit(browser, `${live.url}/page/enterprise`);
    await tab.evaluate(() => Chinwag('open'));
    const r = await tab.evaluate(
      (chat) =>
        new Promise((resolve) => {
          const start = performance.getEntriesByName(`${chat}/chinwag.js`)[0]?.responseEnd ?? 0;
          let launcher;
          const look = () => {
            const root = document.querySelector('chinwag-widget')?.shadowRoot;
            if (!launcher && root?.querySelector('.cw-launcher')) launcher = performance.now();
            if (root?.querySelector('.cw-log > *')) {
              const firstCard = performance.now();
              // Give a late long task the chance to be reported.
              return setTimeout(() => resolve({
                launcher: launcher - start,
                firstCard: firstCard - start,
                longest: Math.max(0, ...window.__long),
              }), 300);
            }
            requestAnimationFrame(look);
          };
          look();
        }),
      live.chat.url,
    );
    results.push(r);
    await context.close();
  }
} finally {
  await browser.close();
  live.stop();
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`.padStart(8);
console.log(`embed timings, median of ${runs} runs (fresh profile each, loopback):`);
console.log(`  loader start -> launcher visible     ${ms(median(results.map((r) => r.launcher)))}`);
console.log(`  loader start -> first bot message    ${ms(median(results.map((r) => r.firstCard)))}  (includes the bot's typing time)`);
const longest = results.map((r) => r.longest);
const task = (x) => (x ? ms(x) : '    none');
console.log(`  longest main-thread task on the page ${task(median([...longest]))} median, ${task(Math.max(...longest)).trim()} worst run  (the browser reports tasks over 50 ms)`);
