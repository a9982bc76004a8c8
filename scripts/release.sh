#!/usr/bin/env bash
# Builds a release (docs/operations.md): the widget and inbox, then one binary that
# carries them (`--features embed`), packed with the systemd unit, an example
# configuration and the operations guide into
#   target/release-out/chinwag-VERSION-x86_64-unknown-linux-gnu.tar.gz (+ .sha256),
# and, when podman is here (`scripts/release.sh --image`), the container image
# chinwag:VERSION from Containerfile. Reproducible inputs: the commit and its date.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
started=$SECONDS
scripts/install.sh

version=$(sed -n 's/^version = "\(.*\)"/\1/p' crates/server/Cargo.toml | head -1)
target=x86_64-unknown-linux-gnu
SOURCE_COMMIT=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_COMMIT SOURCE_DATE_EPOCH

echo "==> the widget and the inbox"
# A release never ships the bigger bundle of the prebuilt standard library.
WIDGET_STD_REQUIRED=1 build_widget
(cd crates/inbox && trunk build --release --dist ../../target/inbox-dist)

echo "==> the server, carrying them (cargo profile server)"
cargo build --locked --profile server -p chinwag-server --features embed
binary=target/server/chinwag

name=chinwag-$version-$target
out=target/release-out
rm -rf "$out/$name"
mkdir -p "$out/$name"
cp "$binary" "$out/$name/chinwag"
cp deploy/chinwag.service deploy/chinwag.toml docs/operations.md README.md "$out/$name/"
# The same bytes for the same commit: fixed owner, order and times.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  -C "$out" -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "==> $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1)), $(cut -c1-16 "$out/$name.tar.gz.sha256")…"
"$out/$name/chinwag" --version

if [ "${1:-}" = "--image" ]; then
  echo "==> the container image chinwag:$version (from a staged root filesystem: no base image to pull)"
  command -v podman >/dev/null || {
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman
  }
  root=$out/image-root
  rm -rf "$root"
  mkdir -p "$root/usr/local/bin" "$root/etc/ssl/certs" "$root/data" "$root/lib" "$root/lib64"
  cp "$binary" "$root/usr/local/bin/chinwag"
  # The C libraries the binary links (glibc's, and the loader), at the paths it asks for.
  for lib in $(ldd "$binary" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
    cp --parents -L "$lib" "$root"
  done
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  echo 'chinwag:x:10001:10001:Chinwag:/data:/sbin/nologin' > "$root/etc/passwd"
  echo 'chinwag:x:10001:' > "$root/etc/group"
  # Docker format: OCI images have no HEALTHCHECK.
  podman build --format docker --file Containerfile --tag "chinwag:$version" .
  scripts/check-image.sh "chinwag:$version"
fi
echo "==> scripts/release.sh took $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
