#!/usr/bin/env bash
# Search's benchmark (prints figures, asserts nothing; docs/performance.md, "Search"):
# CONVERSATIONS conversations of six lines each, then the search's query for words from
# rare to common, as an admin and as an agent, on SQLite and on a throw-away PostgreSQL
# (started on loopback and stopped after; scripts/install.sh installs it).
# Usage: scripts/bench-search.sh [CONVERSATIONS=100000]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cargo build --profile server -p chinwag-server --example search_bench
echo "== SQLite"
target/server/examples/search_bench "${1:-100000}"
pg=$(mktemp -d)
trap 'scripts/postgres.sh stop "$pg" >/dev/null 2>&1 || true; rm -rf "$pg"' EXIT
url=$(scripts/postgres.sh start "$pg")
echo "== PostgreSQL"
target/server/examples/search_bench "${1:-100000}" "$url/postgres"
