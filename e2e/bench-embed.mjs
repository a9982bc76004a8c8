// Times the embed on loopback (run by scripts/bench-embed.sh): a host page on another
// origin than the real chat server, a fresh browser profile each run. From the moment
// chinwag.js starts (its script's fetch ends) to the launcher showing, and to the first
// bot message in the open panel (that includes the bot's typing time, as visitors see
// it); and the longest task the host page's main thread ran. Prints medians.
import { launch } from './lib.mjs';
import { startHostAndChat, visit } from './hosts.mjs';

const runs = Number(process.argv[2] ?? 7);
const isPart = (url) => /\/(split_[^/]+|chunk_\d+)\.wasm$/.test(url);
const PARTS = /\/(split_[^/]+|chunk_\d+)\.wasm$/;

/**
 * From the moment a card whose code is in a part is due (its prompt's line is in the
 * log) to its first field: with the parts prefetched, and with their fetch held until
 * that moment (as if nothing had been prefetched; releasing adds a round trip between
 * this script and the page, a few milliseconds).
 */
async function partCard(browser, url, prefetched) {
  const { context, tab } = await visit(browser, url);
  const held = [];
  let holding = !prefetched;
  await tab.route(PARTS, (route) => (holding ? held.push(route) : route.continue()));
  const fetched = new Set();
  tab.on('requestfinished', (r) => isPart(r.url()) && fetched.add(r.url()));
  await tab.evaluate(() => Chinwag('open'));
  const root = () => tab.locator('chinwag-widget');
  await root().getByRole('button', { name: '1–10', exact: true }).waitFor();
  if (prefetched) {
    // Both parts this dialogue has (info capture, live chat) and what they share.
    while (fetched.size < 2) await new Promise((r) => setTimeout(r, 20));
  }
  const timing = tab.evaluate(() => new Promise((resolve) => {
    const shadow = document.querySelector('chinwag-widget').shadowRoot;
    let due;
    const look = () => {
      if (!due && [...shadow.querySelectorAll('.cw-bubble')].some((b) => b.textContent.includes('Where can our specialist'))) due = performance.now();
      if (due && shadow.querySelector('.cw-card input')) return resolve(performance.now() - due);
      requestAnimationFrame(look);
    };
    look();
  }));
  await root().getByRole('button', { name: '1–10', exact: true }).click();
  if (!prefetched) {
    await root().getByText('Where can our specialist reach you?').waitFor();
    holding = false;
    for (const route of held.splice(0)) await route.continue();
  }
  const ms = await timing;
  await context.close();
  return ms;
}
const live = await startHostAndChat();
const browser = await launch();
const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const { context, tab } = await visit(browser, `${live.url}/page/enterprise`);
    // What the visitor downloads from the chat server (compressed bodies), in order.
    const got = [];
    tab.on('requestfinished', async (r) => {
      if (!r.url().startsWith(live.chat.url)) return;
      const sizes = await r.sizes().catch(() => null);
      got.push({ url: r.url(), bytes: sizes?.responseBodySize ?? 0 });
    });
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
    // Parts are fetched once the panel opens, beside the first card: not the start.
    r.startBytes = got.filter((g) => !isPart(g.url)).reduce((t, g) => t + g.bytes, 0);
    results.push(r);
    await context.close();
  }
  for (let i = 0; i < runs; i++) {
    results[i].prefetched = await partCard(browser, `${live.url}/page/enterprise`, true);
    results[i].cold = await partCard(browser, `${live.url}/page/enterprise`, false);
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
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(8);
console.log(`  downloaded before the first bot card ${kb(median(results.map((r) => r.startBytes)))}  (loader, glue, start wasm, parts loader, site config: compressed, as sent)`);
console.log(`  a part's card, from due to shown:    ${ms(median(results.map((r) => r.prefetched)))} prefetched, ${ms(median(results.map((r) => r.cold))).trim()} not prefetched (fetched when due)`);
