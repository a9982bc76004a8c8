#!/usr/bin/env bash
# Installs whatever the project needs and is missing; quick when all is present.
# Needs: a Rust toolchain (rustup), apt and npm. Everything else comes from here.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The toolchain pinned in rust-toolchain.toml, with the wasm target.
rustup target list --installed | grep -qx wasm32-unknown-unknown || {
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

# The standard library's source, for the widget's own build of it (build_widget in
# env.sh), and the crates it depends on, which trunk's offline build cannot fetch. Without
# it the widget is still built, with the prebuilt library (14 KB gzip more at its start).
sysroot_std="$(rustc --print sysroot)/lib/rustlib/src/rust/library/std"
if [ ! -d "$sysroot_std" ]; then
  say "adding rust-src (the widget builds its standard library for size)"
  rustup component add rust-src || echo "warning: rust-src could not be added: the widget will use the prebuilt standard library" >&2
fi
if [ -d "$sysroot_std" ]; then
  RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
    cargo fetch --quiet --target wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (several minutes, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# Must match the wasm-bindgen crate version pinned in Cargo.toml exactly.
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# Cuts the embed bundle into wasm parts after the build (scripts/split-bundle.mjs); its
# format must match the wasm_split_helpers version in Cargo.lock.
# (It has no --version: cargo's list of installed packages says.)
if ! command -v wasm-split-cli >/dev/null || ! cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ]; then
  say "installing Chromium and ChromeDriver"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi

# Node packages: Playwright (driving the system Chromium), axe-core, binaryen's wasm-opt.
if [ ! -f e2e/node_modules/.package-lock.json ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  say "installing node packages"
  npm ci --prefix e2e --no-audit --no-fund --loglevel=error
fi

# Real services the meetings tests start on loopback: a CalDAV server and an SMTP server
# (the product itself needs neither).
if ! command -v radicale >/dev/null || ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  say "installing Radicale (CalDAV) and aiosmtpd (SMTP) for the meetings tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq radicale python3-aiosmtpd
fi

# PostgreSQL for the server tests' second pass and the cluster: a throw-away cluster
# started on loopback (scripts/postgres.sh, tests/support/postgres.rs). Only the
# binaries: Debian's package also sets up a cluster of its own, which is stopped and
# never used (the default product needs no PostgreSQL).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing PostgreSQL for the PostgreSQL tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
  if command -v pg_ctlcluster >/dev/null; then
    for cluster in /etc/postgresql/*/main; do
      [ -d "$cluster" ] && as_root pg_ctlcluster "$(basename "$(dirname "$cluster")")" main stop 2>/dev/null || true
    done
  fi
fi

# HAProxy, the load balancer of the local cluster and its failover tests
# (scripts/cluster.sh): it speaks WebSocket and checks each node's /readyz. Only the
# binary: Debian's own service is stopped and never used.
if ! command -v haproxy >/dev/null; then
  say "installing HAProxy for the cluster and its failover tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy
  command -v systemctl >/dev/null && as_root systemctl stop haproxy 2>/dev/null || true
  command -v service >/dev/null && as_root service haproxy stop 2>/dev/null || true
fi

# faketime runs the clock-dependent tests at awkward instants (scripts/test-clock.sh).
if ! command -v faketime >/dev/null; then
  say "installing faketime for the clock tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime
fi
