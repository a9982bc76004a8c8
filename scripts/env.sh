# Sourced by the other scripts: paths and settings shared by build, test and run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
WASM_SPLIT_VERSION=0.2.3
cd "$ROOT"
# Every script (and e2e/lib.mjs) finds its builds under target/: a CARGO_TARGET_DIR set
# for other projects would send cargo's output elsewhere, and run.sh would find nothing.
unset CARGO_TARGET_DIR

# The product as run.sh and cluster.sh serve it: the widget and the inbox (release
# bundles the server serves) and the server binary (target/server/chinwag).
build_product() {
  echo "==> building the widget, the inbox and the server (release)"
  build_widget
  (cd crates/inbox && trunk build --release --dist ../../target/inbox-dist)
  cargo build --profile server -p chinwag-server
}

# The widget's release builds (its embed bundle, scripts/floor.sh) get a standard
# library built for them: no panic messages or their formatting, which a visitor's
# browser never shows, and std's own choices for size where it has them
# (`optimize_for_size`: smaller sorting and formatting code) (docs/performance.md, "The
# standard library built for the widget": the start 14 KB gzip smaller). It takes the pinned toolchain's `rust-src` (install.sh
# adds it) and cargo's `-Z build-std`, which `RUSTC_BOOTSTRAP=1` opens on the pinned
# stable release, for these builds only: never the server, the tests or the preview.
# Without `rust-src` they use the prebuilt library, and say so (a release, with
# WIDGET_STD_REQUIRED set, refuses). Sets WIDGET_STD to the command prefix.
widget_std() {
  WIDGET_STD=()
  if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ]; then
    WIDGET_STD=(env RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
      CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
      RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort")
  elif [ -n "${WIDGET_STD_REQUIRED:-}" ]; then
    echo "error: no rust-src for $(rustc --version) (scripts/install.sh adds it): a release needs the widget's own standard library" >&2
    return 1
  else
    echo "warning: no rust-src for $(rustc --version): the widget is built with the prebuilt standard library (about 14 KB gzip more at its start)" >&2
  fi
}

# The widget's embed bundle (release, in parts), into target/widget-dist.
build_widget() {
  widget_std
  "${WIDGET_STD[@]}" trunk build --release --dist target/widget-dist --public-url /widget/ --filehash false www/widget.html
}
