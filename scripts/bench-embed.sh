#!/usr/bin/env bash
# Embedding benchmark (prints figures, asserts nothing): the loader's size, the widget's
# transfer size (gzip and brotli), and, over several runs in headless Chromium on
# loopback, the time from the loader starting to the launcher showing and to the first
# bot message, the longest main-thread task on the host page, the bytes downloaded
# before the first bot card, and how long a card whose code is in a wasm part takes to
# show once due, with the part prefetched and without.
# Usage: scripts/bench-embed.sh [RUNS=7]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/install.sh
build_widget >/dev/null
cargo build -q -p chinwag-server
node scripts/sizes.mjs target/widget-dist crates/site/src/launcher.css src/widget.css
node e2e/bench-embed.mjs "${1:-7}"
