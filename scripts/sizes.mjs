// Prints raw / gzip -9 / brotli -11 sizes of a built widget bundle.
// Usage: node scripts/sizes.mjs DIST_DIR CSS_FILE…
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const [dist, ...cssFiles] = process.argv.slice(2);
const BUDGET_GZIP = 120 * 1024;
const measure = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const files = readdirSync(dist);
const pick = (suffix) => files.find((f) => f.endsWith(suffix));
const rows = [
  ['wasm', measure(readFileSync(join(dist, pick('_bg.wasm'))))],
  ['js glue', measure(readFileSync(join(dist, files.find((f) => f.endsWith('.js') && !['chinwag.js', 'meeting.js'].includes(f)))))],
];
// Loaded only when a visitor reaches a meeting card: shown, not in the total.
const meeting = files.includes('meeting.js') ? measure(readFileSync(join(dist, 'meeting.js'))) : null;
const loader = files.includes('chinwag.js') ? measure(readFileSync(join(dist, 'chinwag.js'))) : null;
// The CSS ships inside the wasm (it is injected into the shadow root), so it is shown
// for reference and not added to the total a second time.
const css = measure(Buffer.concat(cssFiles.map((f) => readFileSync(f))));
const total = rows.reduce((t, [, m]) => ({ raw: t.raw + m.raw, gzip: t.gzip + m.gzip, brotli: t.brotli + m.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
console.log(`${'file'.padEnd(26)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
for (const [name, m] of [...rows, ['css (inside the wasm)', css], ['total (wasm + js)', total]]) {
  console.log(`${name.padEnd(26)}${kb(m.raw)}${kb(m.gzip)}${kb(m.brotli)}`);
}
console.log(`budget: ${kb(BUDGET_GZIP).trim()} gzip -> ${total.gzip <= BUDGET_GZIP ? 'within' : 'OVER'} (${((total.gzip / BUDGET_GZIP) * 100).toFixed(0)}%)`);
if (meeting) console.log(`${'meeting card (on demand)'.padEnd(26)}${kb(meeting.raw)}${kb(meeting.gzip)}${kb(meeting.brotli)}`);
if (loader) {
  console.log(`${'loader (chinwag.js)'.padEnd(26)}${kb(loader.raw)}${kb(loader.gzip)}${kb(loader.brotli)}`);
  console.log(`loader budget: 2.0 KB gzip -> ${loader.gzip <= 2048 ? 'within' : 'OVER'}`);
}
