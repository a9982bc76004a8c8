#!/usr/bin/env node
// Lists every struct with more than 8 named fields in the workspace's Rust code (the
// widget in src/ included), widest first: `node scripts/wide-structs.mjs`. The ones
// that stay wide, and why, are in docs/server.md ("Wide structs"). Fields are the lines
// `name: Type` at the struct's own depth; tuple structs and generics are read too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MOST = 8;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (['target', 'node_modules', '.git'].includes(name)) return [];
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.rs') ? [p] : [];
  });
}

/** The body between a struct's `{` and its matching `}`. */
function body(text, open) {
  let depth = 1;
  let i = open;
  while (depth > 0 && i < text.length) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}') depth -= 1;
    i += 1;
  }
  return text.slice(open, i - 1);
}

/** Named fields at the body's own depth (nested braces, parens and brackets skipped). */
function fields(inner) {
  let depth = 0;
  let count = 0;
  for (const line of inner.split('\n')) {
    const t = line.trim();
    if (depth === 0 && /^(pub(\([^)]*\))?\s+)?(r#)?[a-z_][a-z0-9_]*\s*:/.test(t)) count += 1;
    for (const c of line) {
      if ('{(['.includes(c)) depth += 1;
      else if ('})]'.includes(c)) depth -= 1;
    }
  }
  return count;
}

const wide = [];
for (const dir of ['crates', 'src']) {
  for (const file of files(join(ROOT, dir))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bstruct\s+(\w+)(<[^>{]*>)?\s*\{/g)) {
      const n = fields(body(text, m.index + m[0].length));
      if (n > MOST) wide.push([n, relative(ROOT, file), m[1]]);
    }
  }
}
wide.sort((a, b) => b[0] - a[0]);
for (const [n, file, name] of wide) console.log(`${n}\t${file}\t${name}`);
console.log(`${wide.length} struct(s) with more than ${MOST} fields`);
