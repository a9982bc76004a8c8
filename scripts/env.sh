# Sourced by the other scripts: paths and settings shared by build, test and run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
cd "$ROOT"
