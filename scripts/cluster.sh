#!/usr/bin/env bash
# A local cluster on loopback: a throw-away PostgreSQL (also the nodes' broker), three
# Chinwag nodes in demo mode, and HAProxy in front (deploy/haproxy.cfg), installing
# what is missing first. Prints the URLs and logins; Ctrl-C stops everything and
# deletes the database. docs/deployment.md is the production recipe.
# Ports: CHINWAG_BALANCER_PORT (8780) and the three after it for the nodes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/install.sh
echo "==> building the widget, the inbox and the server (release)"
trunk build --release --dist target/widget-dist --public-url /widget/ --filehash false www/widget.html
(cd crates/inbox && trunk build --release --dist ../../target/inbox-dist)
cargo build --profile server -p chinwag-server

port=${CHINWAG_BALANCER_PORT:-8780}
work=$(mktemp -d)
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
  export "CHINWAG_NODE$n=127.0.0.1:$node_port"
done
export CHINWAG_BALANCER=127.0.0.1:$port
haproxy -W -db -f deploy/haproxy.cfg > "$work/haproxy.log" 2>&1 &
pids+=($!)
sleep 0.5

cat <<EOF
==> Chinwag cluster: 3 nodes behind HAProxy, on PostgreSQL
  demo site:   http://127.0.0.1:$port/widget/demo.html
  inbox:       http://127.0.0.1:$port/inbox/   (admin ana@demo.chinwag, agents ben@ and alice@demo.chinwag, password chinwag-demo)
  nodes:       http://$CHINWAG_NODE1  http://$CHINWAG_NODE2  http://$CHINWAG_NODE3   (/readyz, /metrics)
  database:    $database
  logs:        $work/node{1,2,3}.log, $work/haproxy.log
Ctrl-C stops the cluster and deletes its database.
EOF
wait
