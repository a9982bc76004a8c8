// Prints raw / gzip -9 / brotli -11 sizes of a built widget bundle: the start (what
// every visitor downloads before the first bot card), each part (fetched when the
// dialogue may need it: src/cards/part.rs) and the whole, against the budgets.
// Usage: node scripts/sizes.mjs DIST_DIR CSS_FILE…
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const [dist, ...cssFiles] = process.argv.slice(2);
const KB = 1024;
const BUDGET_START = 120 * KB; // the widget's budget (wasm + glue), now its start
const TARGET_START = 70 * KB; // issue 25's target, loader included
const BUDGET_PART = 30 * KB;
const BUDGET_WHOLE = 150 * KB;
const measure = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const sum = (list) => list.reduce((t, m) => ({ raw: t.raw + m.raw, gzip: t.gzip + m.gzip, brotli: t.brotli + m.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const files = readdirSync(dist);
const read = (f) => measure(readFileSync(join(dist, f)));
const glue = files.find((f) => f.endsWith('.js') && !['chinwag.js', 'meeting.js', '__wasm_split.js'].includes(f));
const start = [
  ['wasm', read(files.find((f) => f.endsWith('_bg.wasm')))],
  ['js glue', read(glue)],
];
// The parts' loader: imported by the glue, so part of the start.
if (files.includes('__wasm_split.js')) start.push(['parts loader (js)', read('__wasm_split.js')]);
const parts = files.filter((f) => /^(split_.*|chunk_\d+)\.wasm$/.test(f)).sort().map((f) => [f.replace(/^split_|\.wasm$/g, ''), read(f)]);
// The meeting card's JavaScript, imported when a visitor reaches one.
if (files.includes('meeting.js')) parts.push(['meeting.js', read('meeting.js')]);
const loader = files.includes('chinwag.js') ? read('chinwag.js') : null;
// The CSS ships inside the wasm (it is injected into the shadow root), so it is shown
// for reference and not added a second time.
const css = measure(Buffer.concat(cssFiles.map((f) => readFileSync(f))));
const startTotal = sum(start.map(([, m]) => m));
const whole = sum([startTotal, ...parts.map(([, m]) => m)]);

const kb = (n) => `${(n / KB).toFixed(1)} KB`.padStart(10);
const row = (name, m) => console.log(`${name.padEnd(30)}${kb(m.raw)}${kb(m.gzip)}${kb(m.brotli)}`);
const verdict = (n, budget) => `${n <= budget ? 'within' : 'OVER'} (${((n / budget) * 100).toFixed(0)}%)`;
console.log(`${'file'.padEnd(30)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
for (const [name, m] of start) row(name, m);
row('css (inside the wasm)', css);
row('start (wasm + js)', startTotal);
console.log(`budget: ${kb(BUDGET_START).trim()} gzip -> ${verdict(startTotal.gzip, BUDGET_START)}`);
for (const [name, m] of parts) row(`part: ${name}`, m);
row('whole (start + every part)', whole);
console.log(`parts: each ${kb(BUDGET_PART).trim()} gzip at most -> ${parts.every(([, m]) => m.gzip <= BUDGET_PART) ? 'within' : 'OVER'}; whole ${kb(BUDGET_WHOLE).trim()} -> ${verdict(whole.gzip, BUDGET_WHOLE)}`);
if (loader) {
  row('loader (chinwag.js)', loader);
  console.log(`loader budget: 2.0 KB gzip -> ${loader.gzip <= 2048 ? 'within' : 'OVER'}`);
  const first = sum([startTotal, loader]);
  row('before the first card (+ loader)', first);
  console.log(`start target: ${kb(TARGET_START).trim()} gzip -> ${first.gzip <= TARGET_START ? 'met' : 'not met'} (${((first.gzip / TARGET_START) * 100).toFixed(0)}%)`);
}
