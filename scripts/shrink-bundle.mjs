// Trunk post-build hook for release builds: takes out what visitors never run.
//
// 1. Leptos always pulls in server_fn's browser streaming classes (from wasm-streams),
//    which wasm-bindgen exports; exports are roots, so no optimiser can drop them. A
//    client-only widget never calls them: we remove those exports (and their JS
//    classes) and let wasm-opt drop the code behind them.
// 2. Trunk 0.21 leaves wasm-bindgen's JS glue unminified: terser minifies it.
//
// The HTML files turn off trunk's integrity hashes (`data-integrity="none"`): trunk
// computes them before this hook runs.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir || process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const UNUSED = /intounderlying/i;

function leb(buf, pos) {
  let result = 0, shift = 0, byte;
  do { byte = buf[pos++]; result |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
  return [result >>> 0, pos];
}
function unsignedLeb(n) {
  const out = [];
  do { let byte = n & 0x7f; n >>>= 7; if (n) byte |= 0x80; out.push(byte); } while (n);
  return Buffer.from(out);
}

/** The module with every export whose name matches UNUSED removed. */
function withoutUnusedExports(bytes) {
  const parts = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, start] = leb(bytes, pos + 1);
    const body = bytes.subarray(start, start + size);
    if (id === 7) {
      let [count, p] = leb(body, 0);
      const kept = [];
      for (let i = 0; i < count; i++) {
        const from = p;
        let length;
        [length, p] = leb(body, p);
        const name = body.subarray(p, p + length).toString();
        [, p] = leb(body, p + length + 1);
        if (!UNUSED.test(name)) kept.push(body.subarray(from, p));
      }
      const payload = Buffer.concat([unsignedLeb(kept.length), ...kept]);
      parts.push(Buffer.from([7]), unsignedLeb(payload.length), payload);
    } else {
      parts.push(bytes.subarray(pos, start + size));
    }
    pos = start + size;
  }
  return Buffer.concat(parts);
}

// Rust's default wasm32 features, so wasm-opt accepts (and keeps to) what rustc emits.
const FEATURES = ['bulk-memory', 'bulk-memory-opt', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue'];
for (const file of readdirSync(dir).filter((f) => f.endsWith('_bg.wasm'))) {
  const path = join(dir, file);
  writeFileSync(path, withoutUnusedExports(readFileSync(path)));
  // --low-memory-unused: Rust never uses the first kilobyte of memory, so addresses can be shorter.
  execFileSync('wasm-opt', ['-Oz', '--low-memory-unused', ...FEATURES.map((f) => `--enable-${f}`), path, '-o', path], { stdio: 'inherit' });
}

const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const { minify } = require('terser');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
  const path = join(dir, file);
  const glue = readFileSync(path, 'utf8')
    .replace(
      /export class (IntoUnderlying\w+) \{[\s\S]*?\n\}\n(if \(Symbol\.dispose\) \1\.prototype\[Symbol\.dispose\] = \1\.prototype\.free;\n)?/g,
      '',
    )
    .replace(/const IntoUnderlying\w+Finalization = [^;]*;\n/g, '');
  // The loader (chinwag.js) is a classic script; the glue is a module.
  const module = file !== 'chinwag.js';
  const { code } = await minify(glue, { module, compress: true, mangle: true });
  writeFileSync(path, code);
}
