#!/usr/bin/env bash
# The floor under the widget's start: builds examples/floor.rs (a Leptos launcher and
# panel with none of Chinwag's code, the widget's profile, allocator and standard library), runs the same
# post-build step as the widget (wasm-opt -Oz, short names, terser) and prints its
# sizes. What the start weighs above this is Chinwag's own (docs/performance.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/install.sh >/dev/null
# With the standard library built as the widget's is (env.sh).
widget_std
"${WIDGET_STD[@]}" cargo build --release --target wasm32-unknown-unknown --example floor
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
wasm-bindgen target/wasm32-unknown-unknown/release/examples/floor.wasm --target web --no-typescript --out-dir "$out" --out-name floor
TRUNK_PROFILE=release TRUNK_STAGING_DIR="$out" node scripts/shrink-bundle.mjs
node -e '
const { readFileSync } = require("node:fs");
const { gzipSync, brotliCompressSync, constants } = require("node:zlib");
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
let total = [0, 0, 0];
console.log("file".padEnd(24), "    raw", "    gzip", "  brotli");
for (const f of ["floor_bg.wasm", "floor.js"]) {
  const b = readFileSync(process.argv[1] + "/" + f);
  const m = [b.length, gzipSync(b, { level: 9 }).length, brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length];
  total = total.map((t, i) => t + m[i]);
  console.log(f.padEnd(24), ...m.map(kb));
}
console.log("floor (wasm + js)".padEnd(24), ...total.map(kb));
' "$out"
