#!/usr/bin/env node
// Lists the module import cycles of every crate of the workspace (and the widget in
// src/), and exits 1 when there is any: `node scripts/cycles.mjs` (`--why` shows each
// import inside a cycle).
//
// A module is a file (`a/b.rs` or `a/b/mod.rs` is `a::b`). Module A depends on B when A
// names B or something in it (`crate::b::…`, `super::…`, `self::…`, `use crate::{b, …}`),
// inline test modules included. A parent re-exporting its own children (`pub use
// child::X` in `mod.rs`) is a facade, not a dependency; `mod x;` declarations are not
// either. Cycles are the strongly connected components with more than one module.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.rs') ? [p] : [];
  });
}

/** `src/a/b.rs` → `a::b`; `src/a/mod.rs` → `a`; `src/lib.rs` → `crate`. */
function moduleOf(src, file) {
  const parts = relative(src, file).replace(/\.rs$/, '').split('/');
  if (parts.at(-1) === 'mod') parts.pop();
  if (parts.length === 1 && ['lib', 'main'].includes(parts[0])) return 'crate';
  return parts.join('::');
}

/** The code of a file without its comments, strings and character literals. */
function code(text) {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const rest = text.slice(i, i + 3);
    if (rest.startsWith('//')) { const e = text.indexOf('\n', i); i = e < 0 ? text.length : e; continue; }
    if (rest.startsWith('/*')) { const e = text.indexOf('*/', i + 2); i = e < 0 ? text.length : e + 2; continue; }
    const raw = /^r(#*)"/.exec(text.slice(i, i + 12));
    if (raw && !/\w/.test(text[i - 1] ?? '')) {
      const end = text.indexOf(`"${raw[1]}`, i + raw[0].length);
      i = end < 0 ? text.length : end + 1 + raw[1].length;
      out += '""';
      continue;
    }
    if (text[i] === '"') {
      let k = i + 1;
      while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
      i = k + 1;
      out += '""';
      continue;
    }
    const ch = /^'(?:\\.[^']*|[^'\\])'/.exec(text.slice(i, i + 12));
    if (ch) { i += ch[0].length; out += "''"; continue; }
    out += text[i++];
  }
  return out;
}

/** The paths a file names, as written after `crate::`, `super::` or `self::`. */
function named(text) {
  text = code(text);
  const out = [];
  // `use crate::{a, b::{c, d}}` → a, b::c, b::d (one level of nesting each time).
  const expand = (prefix, body) => {
    let depth = 0, start = 0;
    const items = [];
    for (let i = 0; i <= body.length; i++) {
      const c = body[i];
      if (c === '{') depth++;
      if (c === '}') depth--;
      if ((c === ',' && depth === 0) || i === body.length) { items.push(body.slice(start, i).trim()); start = i + 1; }
    }
    for (const item of items.filter(Boolean)) {
      const m = item.match(/^([\w:]*?)(?:::)?\{([\s\S]*)\}$/);
      if (m) expand(`${prefix}${m[1] ? m[1] + '::' : ''}`, m[2]);
      else out.push(prefix + item.split(/\s+as\s+/)[0]);
    }
  };
  for (const m of text.matchAll(/\b(crate|super|self)::\{([\s\S]*?)\};/g)) expand(`${m[1]}::`, m[2]);
  for (const m of text.matchAll(/\b((?:crate|super|self)(?:::(?:super|[A-Za-z_]\w*))+)/g)) out.push(m[1]);
  return out;
}

/** The module a path written in `from` falls in (the longest known prefix). */
function resolve(from, path, known) {
  let base = from === 'crate' ? [] : from.split('::');
  let rest = path.split('::');
  if (rest[0] === 'crate') { base = []; rest = rest.slice(1); }
  else if (rest[0] === 'self') rest = rest.slice(1);
  while (rest[0] === 'super') { base = base.slice(0, -1); rest = rest.slice(1); }
  const full = [...base, ...rest];
  for (let n = full.length; n > 0; n--) {
    const m = full.slice(0, n).join('::');
    if (known.has(m)) return m;
  }
  return 'crate';
}

/** Tarjan's strongly connected components. */
function components(graph) {
  let index = 0;
  const stack = [], on = new Set(), idx = new Map(), low = new Map(), out = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const c = [];
      let w;
      do { w = stack.pop(); on.delete(w); c.push(w); } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const crates = readdirSync(join(ROOT, 'crates'))
  .map((c) => [c, join(ROOT, 'crates', c, 'src')])
  .concat([['widget', join(ROOT, 'src')]])
  .filter(([, src]) => existsSync(src));
let total = 0;
for (const [name, src] of crates) {
  const modules = new Map(files(src).map((f) => [moduleOf(src, f), f]));
  const known = new Set(modules.keys());
  const graph = new Map();
  for (const [module, file] of modules) {
    const text = readFileSync(file, 'utf8');
    // A parent's re-exports of its own children are its face, not its needs.
    const facade = text.replace(/pub(?:\([^)]*\))?\s+use\s+(?:self::)?([a-z_]\w*)::[^;]*;/g, (all, child) =>
      known.has(module === 'crate' ? child : `${module}::${child}`) ? '' : all);
    const deps = new Set(named(facade).map((p) => resolve(module, p, known)).filter((d) => d !== module && d !== 'crate'));
    graph.set(module, deps);
  }
  for (const cycle of components(graph)) {
    total++;
    console.log(`${name}: ${cycle.join(' ↔ ')}`);
    // `--why`: each import inside the cycle.
    if (process.argv.includes('--why')) {
      for (const a of cycle) for (const b of graph.get(a)) if (cycle.includes(b)) console.log(`    ${a} → ${b}`);
    }
  }
}
console.log(total ? `${total} module import cycle(s)` : 'no module import cycles');
process.exit(total ? 1 : 0);
