#!/usr/bin/env bash
# Cluster benchmark (prints figures, asserts nothing): a throw-away PostgreSQL and three
# nodes on loopback; idle sockets over the cluster and memory per socket, relay latency
# on one node and across nodes, and the rate before p99 passes 50 ms; then the
# single-node SQLite figures from the same machine and moment, for comparison.
# Usage: scripts/bench-cluster.sh [SOCKETS=15000, up to about 57,000 here: 19,000 per node] [MESSAGES_PER_SECOND=1000] [SECONDS=10]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
scripts/install.sh >/dev/null
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files allowed: $(ulimit -n)"
cargo build --profile server -p chinwag-server --bin chinwag --example bench --example bench_cluster
pg=$(mktemp -d)
trap 'scripts/postgres.sh stop "$pg"; rm -rf "$pg"' EXIT
# Durable, as SQLite is in the comparison: every commit waits for the disk.
url=$(PG_DURABLE=1 scripts/postgres.sh start "$pg")/postgres
target/server/examples/bench_cluster target/server/chinwag "$url" "${1:-15000}" "${2:-1000}" "${3:-10}"
echo "==> the same machine, one node on SQLite"
target/server/examples/bench target/server/chinwag 1000 "${2:-1000}" "${3:-10}"
