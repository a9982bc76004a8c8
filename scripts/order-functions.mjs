// Orders a wasm module's functions so that alike ones sit side by side, for gzip and
// brotli: both find repeats only within a window behind the byte they compress, and
// rustc writes functions in an order that knows nothing of that. Run by
// shrink-bundle.mjs on every module it shrinks (the widget's start and parts, the
// preview, the floor), before its last wasm-opt. Measured on the start: 1.0 % smaller
// in gzip, 2.5 % in brotli (docs/performance.md, "Functions in order").
//
// Each function's likeness to another is the share of 4-byte sequences their bodies
// have in common (Jaccard); from the first function, the next is always the likest one
// left. Quadratic in the number of functions: about 2 s for the start's 1,300 and 4 s
// for the preview's (the inbox, 6,000, is not shrunk by that step).
// Binaryen (the npm package whose wasm-opt the build runs) rewrites the module: calls
// and the function table name functions, so moving one changes nothing it does.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { leb } from './leb.mjs';

const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const { default: binaryen } = await import(pathToFileURL(require.resolve('binaryen')).href);

/** The bodies of the module's own functions, in order, from its code section. */
function bodies(bytes) {
  const found = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, start] = leb(bytes, pos + 1);
    pos = start + size;
    if (id !== 10) continue;
    let [count, p] = leb(bytes, start);
    for (let i = 0; i < count; i++) {
      const [length, from] = leb(bytes, p);
      found.push(bytes.subarray(from, from + length));
      p = from + length;
    }
  }
  return found;
}

/** Indexes of `code`, each next one the likest to the one before. */
function likestNext(code) {
  const grams = code.map((body) => {
    const seen = new Set();
    for (let i = 0; i + 4 <= body.length; i++) seen.add(body.readUInt32LE(i));
    return seen;
  });
  const left = new Set(code.keys());
  const order = [];
  for (let current = 0; left.size; ) {
    left.delete(current);
    order.push(current);
    let best = -1, score = -1;
    const a = grams[current];
    for (const j of left) {
      const b = grams[j];
      const [small, large] = a.size < b.size ? [a, b] : [b, a];
      let common = 0;
      for (const gram of small) if (large.has(gram)) common++;
      const likeness = common / (a.size + b.size - common + 1);
      if (likeness > score) [score, best] = [likeness, j];
    }
    current = best;
  }
  return order;
}

/** Rewrites the module at `path` with its functions in that order. */
export function orderFunctions(path) {
  const bytes = readFileSync(path);
  const code = bodies(bytes);
  const module = binaryen.readBinary(bytes);
  // The features rustc's wasm32 uses (as shrink-bundle.mjs gives wasm-opt), no more:
  // the default of this API writes newer encodings no browser reads yet.
  const F = binaryen.Features;
  module.setFeatures(F.MutableGlobals | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt | F.SignExt | F.ReferenceTypes | F.Multivalue);
  const own = [];
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (!info.module) own.push(info);
  }
  if (own.length !== code.length) throw new Error(`${path}: ${own.length} functions but ${code.length} bodies`);
  // A function added again goes last: adding each in the new order orders them all.
  for (const i of likestNext(code)) {
    const f = own[i];
    module.removeFunction(f.name);
    module.addFunction(f.name, f.params, f.results, f.vars, f.body);
  }
  if (!module.validate()) throw new Error(`${path}: not valid once its functions were ordered`);
  writeFileSync(path, module.emitBinary());
  module.dispose();
}
