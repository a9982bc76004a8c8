#!/usr/bin/env bash
# A throw-away PostgreSQL for tests and the local cluster: `scripts/postgres.sh start DIR`
# creates a fresh cluster in DIR (an empty directory), starts it on a free loopback
# port with fsync off (it is thrown away; PG_DURABLE=1 keeps fsync) and prints its URL (user `chinwag`, no
# password, loopback only); `scripts/postgres.sh stop DIR` stops it. Runs PostgreSQL
# as the `postgres` user when called as root (PostgreSQL refuses root).
# scripts/install.sh installs Debian's `postgresql` when it is missing.
set -euo pipefail
command=${1:?start or stop}
dir=$(cd "${2:?a directory}" && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$command" in
  start)
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    # No locale from the environment: a machine's LANG may name one it never generated.
    as_owner "$bin/initdb" --no-locale -D "$dir/data" -A trust -U chinwag -E UTF8 --no-sync >/dev/null
    # Thrown away, so not durable, unless PG_DURABLE=1 (benchmarks compare it with
    # SQLite's synchronous = FULL).
    durability="-c fsync=off -c synchronous_commit=off"
    [ "${PG_DURABLE:-0}" = 1 ] && durability=""
    # A free port is only free until someone takes it: another start may race us to
    # it, so a start that fails on its port tries another.
    for attempt in 1 2 3 4 5; do
      port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
      if as_owner "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=300" \
        start >/dev/null; then
        break
      fi
      [ "$attempt" = 5 ] && { echo "postgres.sh: could not start (see $dir/log)" >&2; exit 1; }
    done
    echo "postgres://chinwag@127.0.0.1:$port"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
