#!/usr/bin/env bash
# Checks a built image without `podman run` (refused on the build machine: crun cannot
# set rlimits): mounts its root filesystem, reads its configuration, and runs the binary
# from it under chroot, as the image's user: --version, then a server on a fresh
# database whose /healthz and widget answer. IMAGE: chinwag:VERSION.
set -euo pipefail
image=${1:?image}
# A copy of the image's files: the mount itself is read-only.
mounted=$(podman image mount "$image")
mnt=$(mktemp -d)
trap 'podman image unmount "$image" >/dev/null; rm -rf "$mnt"' EXIT
cp -a "$mounted/." "$mnt/"
config=$(podman image inspect "$image" --format '{{.Config.User}} {{.Config.Entrypoint}} {{json .Config.Healthcheck}}')
echo "image $image: user, entrypoint, health check: $config"
case "$config" in 10001:10001*chinwag*health*) ;; *) echo "unexpected image configuration"; exit 1 ;; esac
test -z "$(find "$mnt" -name sh -o -name bash -o -name curl | head -1)" || { echo "a shell or curl in the image"; exit 1; }
chroot --userspec=10001:10001 "$mnt" /usr/local/bin/chinwag --version
data=$(mktemp -d -p "$mnt/data" check.XXXX)
chown 10001:10001 "$data"
port=$(( 20000 + RANDOM % 20000 ))
# The image has no `env`: the variables are set outside the chroot, which keeps them.
env CHINWAG_LISTEN=127.0.0.1:$port CHINWAG_DATABASE="/data/$(basename "$data")/c.db" \
  CHINWAG_SECRET=image-check-secret-0123456789 chroot --userspec=10001:10001 "$mnt" /usr/local/bin/chinwag serve --demo > "$mnt/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
health=$(RUST_BACKTRACE=0 chroot --userspec=10001:10001 "$mnt" /usr/local/bin/chinwag health --url "http://127.0.0.1:$port/healthz")
widget=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/widget/demo.html")
kill "$server"; wait "$server" 2>/dev/null || true
[ "$widget" = 200 ] || tail -20 "$mnt/serve.log"
echo "in the image: $health; /widget/demo.html $widget"
[ "$widget" = 200 ] && [[ "$health" == ok\ chinwag* ]]
