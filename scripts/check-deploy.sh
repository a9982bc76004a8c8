#!/usr/bin/env bash
# Checks what ships beside the binary (docs/operations.md), as far as this machine can:
# the systemd unit with `systemd-analyze verify` (any warning fails: an unknown key
# is a sandboxing line that silently does nothing), the compose file's structure (it
# cannot run here: `podman run` is refused), and HAProxy's configuration with the
# addresses compose gives it. BINARY: the chinwag binary to name in the unit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary=$(realpath "${1:-target/debug/chinwag}")
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v systemd-analyze >/dev/null; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd
fi
if ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "==> deploy/chinwag.service: systemd-analyze verify"
sed "s|/usr/local/bin/chinwag|$binary|" deploy/chinwag.service > "$work/chinwag.service"
said=$(systemd-analyze verify "$work/chinwag.service" 2>&1) || { echo "$said"; exit 1; }
if [ -n "$said" ]; then echo "$said"; exit 1; fi
for key in DynamicUser=yes ProtectSystem=strict StateDirectory=chinwag NoNewPrivileges=yes; do
  grep -qx "$key" deploy/chinwag.service || { echo "the unit lacks $key"; exit 1; }
done

echo "==> compose.yaml: two nodes on PostgreSQL behind HAProxy with deploy/haproxy.cfg"
/usr/bin/python3 - <<'PY'
import yaml, sys
c = yaml.safe_load(open("compose.yaml"))
s = c["services"]
assert set(s) == {"postgres", "node1", "node2", "balancer"}, set(s)
for n in ("node1", "node2"):
    env = s[n]["environment"]
    assert env["CHINWAG_DATABASE"].startswith("postgres://"), env
    assert "CHINWAG_SECRET" in env and s[n]["image"].startswith("chinwag:"), s[n]
assert "./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in s["balancer"]["volumes"]
assert s["balancer"]["environment"]["NODE1_ADDRESS"] == "node1:8787"
assert s["postgres"]["healthcheck"]["test"][1] == "pg_isready"
print("compose.yaml: services", ", ".join(sorted(s)))
PY

echo "==> deploy/haproxy.cfg with compose's addresses: haproxy -c"
BALANCER_ADDRESS=127.0.0.1:8080 NODE1_ADDRESS=127.0.0.1:8787 NODE2_ADDRESS=127.0.0.1:8788 NODE3_ADDRESS=127.0.0.1:9 \
  haproxy -c -f deploy/haproxy.cfg
