# Sourced by the other scripts: paths and settings shared by build, test and run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
WASM_SPLIT_VERSION=0.2.3
cd "$ROOT"

# The product as run.sh and cluster.sh serve it: the widget and the inbox (release
# bundles the server serves) and the server binary (target/server/chinwag).
build_product() {
  echo "==> building the widget, the inbox and the server (release)"
  trunk build --release --dist target/widget-dist --public-url /widget/ --filehash false www/widget.html
  (cd crates/inbox && trunk build --release --dist ../../target/inbox-dist)
  cargo build --profile server -p chinwag-server
}
