#!/usr/bin/env bash
# A local cluster on loopback: a throw-away PostgreSQL (also the nodes' broker), three
# Chinwag nodes in demo mode, and HAProxy in front (deploy/haproxy.cfg), installing
# what is missing first. Prints the URLs and logins; Ctrl-C stops everything and
# deletes the database. docs/deployment.md is the production recipe.
# Ports: BALANCER_PORT (8780) and the three after it for the nodes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/install.sh
build_product

port=${BALANCER_PORT:-8780}
work=$(mktemp -d)
chmod 755 "$work"  # PostgreSQL runs as its own user inside
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/postgres.sh stop "$work/pg"
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 0' INT TERM

mkdir "$work/pg"
database=$(scripts/postgres.sh start "$work/pg")/postgres
echo "==> PostgreSQL at $database"

# Every node shares the database, the secret (tokens signed by one are good on all)
# and the balancer's address as the demo site's origin.
export CHINWAG_DATABASE=$database
export CHINWAG_SECRET=${CHINWAG_SECRET:-$(head -c 24 /dev/urandom | base64)}
export CHINWAG_DEMO_ORIGINS="http://127.0.0.1:$port,http://localhost:$port"
export CHINWAG_TRUSTED_PROXIES=127.0.0.1
for n in 1 2 3; do
  node_port=$((port + n))
  # One node at a time: the first applies the migrations and seeds the demo.
  CHINWAG_LISTEN=127.0.0.1:$node_port target/server/chinwag serve --demo > "$work/node$n.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$node_port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$node_port/readyz" >/dev/null || { cat "$work/node$n.log"; exit 1; }
  export "NODE${n}_ADDRESS=127.0.0.1:$node_port"
done
export BALANCER_ADDRESS=127.0.0.1:$port
haproxy -W -db -f deploy/haproxy.cfg > "$work/haproxy.log" 2>&1 &
pids+=($!)
# The balancer answers once it is up and a node is ready behind it.
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "HAProxy did not start:" >&2; cat "$work/haproxy.log" >&2; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { echo "no node ready behind HAProxy after 10 s" >&2; exit 1; }

cat <<EOF
==> Chinwag cluster: 3 nodes behind HAProxy, on PostgreSQL
  demo site:   http://127.0.0.1:$port/widget/demo.html
  inbox:       http://127.0.0.1:$port/inbox/   (admin ana@demo.chinwag, agents ben@ and alice@demo.chinwag, password chinwag-demo)
  nodes:       http://$NODE1_ADDRESS  http://$NODE2_ADDRESS  http://$NODE3_ADDRESS   (/readyz, /metrics)
  database:    $database
  logs:        $work/node{1,2,3}.log, $work/haproxy.log
Ctrl-C stops the cluster and deletes its database.
EOF
wait
