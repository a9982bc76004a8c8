#!/usr/bin/env bash
# Server benchmark (prints figures, asserts nothing): idle visitor sockets held and
# memory per socket, then visitor -> agent relay latency p50/p99 at a steady rate,
# through Chinwag and through a bare tokio-tungstenite relay as the floor.
# Usage: scripts/bench.sh [SOCKETS=10000] [MESSAGES_PER_SECOND=1000] [SECONDS=10]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files allowed: $(ulimit -n)"
cargo build --profile server -p chinwag-server --bin chinwag --example bench
target/server/examples/bench target/server/chinwag "${1:-10000}" "${2:-1000}" "${3:-10}"
