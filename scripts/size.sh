#!/usr/bin/env bash
# Size benchmark: builds the embeddable widget bundle (release, wasm-opt -Oz) and
# prints raw, gzip and brotli sizes of its start (wasm, JS glue, parts loader), each wasm
# part and the whole, against the budgets.
# Figures go to docs/performance.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/install.sh
build_widget >/dev/null
node scripts/sizes.mjs target/widget-dist crates/site/src/launcher.css src/widget.css
