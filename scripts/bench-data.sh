#!/usr/bin/env bash
# The data side's benchmark (prints figures, asserts nothing): activity ingest latency
# at a steady rate, a dialogue's metrics over a million stored marks, and a purge of a
# million expired marks with the relay's latency before and during it.
# Usage: scripts/bench-data.sh [MARKS_PER_SECOND=1000] [SECONDS=10] [MARKS=1000000]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cargo build --profile server -p chinwag-server --bin chinwag --example data_bench
target/server/examples/data_bench target/server/chinwag "${1:-1000}" "${2:-10}" "${3:-1000000}"
