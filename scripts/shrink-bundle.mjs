// Trunk post-build hook for release builds: takes out what visitors never run.
//
// (server_fn's streaming classes, which Leptos always links, are gone at the source:
// crates/wasm-streams stands in for wasm-streams in the workspace.)
// 1. wasm-bindgen names imports and exports like `__wbg_appendChild_dbf7ad2f48413560`,
//    in the wasm and again in the glue; we give them short names in both (the glue's
//    module, named before each import, becomes `a`), and drop the wasm's custom
//    sections (names, producers, target features). Then wasm-opt -Oz, the functions
//    in an order that compresses better (order-functions.mjs), and wasm-opt again.
// 2. Trunk 0.21 leaves wasm-bindgen's JS glue unminified: terser minifies it.
// 3. Every file gets its .gz and .br beside it, for the server to send (precompress.mjs).
//
// The HTML files turn off trunk's integrity hashes (`data-integrity="none"`): trunk
// computes them before this hook runs.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { precompress } from './precompress.mjs';
import { linksParts, split } from './split-bundle.mjs';
import { leb, unsignedLeb } from './leb.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir || process.env.TRUNK_PROFILE !== 'release') process.exit(0);
// Only now: it loads binaryen, which a debug build has no use for.
const { orderFunctions } = await import('./order-functions.mjs');
// 0. The widget's embed bundle in parts (split-bundle.mjs), before anything is shrunk.
split(dir, new URL('..', import.meta.url).pathname);


function name(buf, pos) {
  const [length, start] = leb(buf, pos);
  return [buf.subarray(start, start + length).toString(), start + length];
}
const encodeName = (text) => Buffer.concat([unsignedLeb(Buffer.byteLength(text)), Buffer.from(text)]);
// An import's description, after its kind byte: function, table, memory or global.
function skipDescription(buf, pos, kind) {
  const limits = (p) => {
    const flags = buf[p];
    let [, q] = leb(buf, p + 1);
    if (flags & 1) [, q] = leb(buf, q);
    return q;
  };
  if (kind === 0) return leb(buf, pos)[1];
  if (kind === 1) return limits(pos + 1);
  if (kind === 2) return limits(pos);
  return pos + 2;
}

/**
 * The module without custom sections (names, producers, target features), with its
 * long imported and exported names (wasm-bindgen's `__wbg_appendChild_dbf7ad2f48413560`: random hex that no
 * compressor can shrink, written in both the wasm and the JS glue) renamed to short
 * ones; `renames` gets each old name and its new one, for the glue. The glue's own import
 * module (`./x_bg.js`, written again before each of its imports) becomes `a`, and its old
 * name goes into `modules`.
 */
function shrunk(bytes, renames, kept = new Set(), modules = new Set()) {
  const short = (old) => {
    if (old.length < 12 || linksParts(old) || kept.has(old)) return old;
    if (!renames.has(old)) renames.set(old, `$${renames.size.toString(36)}`);
    return renames.get(old);
  };
  const parts = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const section = pos;
    const id = bytes[pos];
    const [size, start] = leb(bytes, pos + 1);
    const body = bytes.subarray(start, start + size);
    pos = start + size;
    if (id === 0) continue;
    if (id !== 2 && id !== 7) {
      parts.push(bytes.subarray(section, pos));
      continue;
    }
    let [count, p] = leb(body, 0);
    const kept = [];
    for (let i = 0; i < count; i++) {
      if (id === 2) {
        let module, field;
        [module, p] = name(body, p);
        [field, p] = name(body, p);
        const from = p;
        p = skipDescription(body, p + 1, body[p]);
        const glue = module.endsWith('_bg.js');
        if (glue) modules.add(module);
        kept.push(Buffer.concat([encodeName(glue ? 'a' : module), encodeName(short(field)), body.subarray(from, p)]));
      } else {
        let field;
        [field, p] = name(body, p);
        const from = p;
        [, p] = leb(body, p + 1);
        kept.push(Buffer.concat([encodeName(short(field)), body.subarray(from, p)]));
      }
    }
    const payload = Buffer.concat([unsignedLeb(kept.length), ...kept]);
    parts.push(Buffer.from([id]), unsignedLeb(payload.length), payload);
  }
  return Buffer.concat(parts);
}

// Rust's default wasm32 features, so wasm-opt accepts (and keeps to) what rustc emits.
const FEATURES = ['bulk-memory', 'bulk-memory-opt', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue'];
// Per JS glue file, the wasm names it must use instead of the old ones.
const renamed = new Map();
// Per JS glue file, the import module its wasm now names `a`.
const modules = new Map();
// The start (`*_bg.wasm`) and, in a split bundle, its parts (which import only what
// links them to the start, never renamed).
for (const file of readdirSync(dir).filter((f) => f.endsWith('.wasm'))) {
  const path = join(dir, file);
  const renames = new Map();
  // What the glue exports to pages (`meeting_page`) keeps its name: the glue's own
  // function has it, and pages call that.
  const glue = join(dir, file.replace(/_bg\.wasm$/, '.js'));
  const exported = new Set(existsSync(glue) ? [...readFileSync(glue, 'utf8').matchAll(/export function (\w+)/g)].map((m) => m[1]) : []);
  const own = new Set();
  writeFileSync(path, shrunk(readFileSync(path), renames, exported, own));
  if (file.endsWith('_bg.wasm')) {
    renamed.set(file.replace(/_bg\.wasm$/, '.js'), renames);
    modules.set(file.replace(/_bg\.wasm$/, '.js'), own);
  }
  // --low-memory-unused: Rust never uses the first kilobyte of memory, so addresses can be shorter.
  const optimize = () => execFileSync('wasm-opt', ['-Oz', '--low-memory-unused', ...FEATURES.map((f) => `--enable-${f}`), path, '-o', path], { stdio: 'inherit' });
  optimize();
  // Alike functions side by side compress better (order-functions.mjs); wasm-opt then
  // writes the module as small as before.
  orderFunctions(path);
  optimize();
}

const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const { minify } = require('terser');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
  const path = join(dir, file);
  let glue = readFileSync(path, 'utf8');
  // Longest first, so a name is never replaced inside a longer one.
  for (const [old, short] of [...(renamed.get(file) ?? [])].sort(([a], [b]) => b.length - a.length)) {
    glue = glue.replace(new RegExp(`(?<![\\w$])${old}(?![\\w$])`, 'g'), () => short);
  }
  // The imports object's key for the module its wasm now names `a`.
  for (const module of modules.get(file) ?? []) {
    const quoted = `"${module}"`;
    if (!glue.includes(quoted)) throw new Error(`${file}: no ${quoted} in its imports object (wasm-bindgen changed?)`);
    glue = glue.replaceAll(quoted, '"a"');
  }
  // wasm-bindgen's inline JS snippets, inlined: one request less before start-up.
  glue = glue.replace(/import \{ (\w+) \} from '\.\/(snippets\/[^']+)';\n/g, (_, name, file) =>
    readFileSync(join(dir, file), 'utf8').replace(/^export function /m, 'function '));
  // The loader (chinwag.js) is a classic script; the glue is a module.
  const module = file !== 'chinwag.js';
  // Both need ES2020 anyway (the loader `import()`, the glue WebAssembly and modules):
  // let terser write arrows, which are shorter than `function` (it keeps functions
  // that use `this` or `arguments`).
  const options = { module, ecma: 2020, compress: { unsafe_arrows: true, passes: 3 }, mangle: true };
  const { code } = await minify(glue, options);
  writeFileSync(path, code);
}

// The snippets are inlined above: drop them, and the pages' preloads of them.
rmSync(join(dir, 'snippets'), { recursive: true, force: true });
for (const page of readdirSync(dir).filter((f) => f.endsWith('.html'))) {
  const path = join(dir, page);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/<link rel="modulepreload" href="[^"]*\/snippets\/[^"]*"[^>]*>/g, ''));
}
precompress(dir);
