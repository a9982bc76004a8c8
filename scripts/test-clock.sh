#!/usr/bin/env bash
# The clock-dependent tests at awkward instants (docs/reliability.md, "Tests at any
# hour"): the server's meetings, metrics (activity), retention (privacy) and live-chat
# tests and the end-to-end meetings, metrics, data and live tests, each run under
# Debian's faketime with a clock that starts at the instant and runs on from there.
#
#   scripts/test-clock.sh                 every instant, server and end-to-end tests
#   scripts/test-clock.sh 1 4             only instants 1 and 4 (numbers as listed below)
#   PARTS=server scripts/test-clock.sh    only the server tests (PARTS=e2e: only those)
#
# Everything is built first on the real clock (cargo never runs under faketime); then
# only the test executables and `node --test` run with libfaketime preloaded. Chromium,
# started by the end-to-end tests, inherits it. The clock is given as an offset from the
# real one (FAKETIME="+N"), computed just before each run: every process (the test
# runner, the server it starts, Radicale, Chromium) then reads the same time, where the
# start-at form ("@2027-03-28 00:59:30") would start each new process's clock at the
# instant again. Monotonic clocks are faked too (they then read the faked wall time,
# running at the real pace, the same in every process): with Debian 12's libfaketime
# 0.9.10, a timed wait on a real monotonic clock is mistranslated (Chromium's threads
# spin and a page takes a minute to open; Python's time.sleep fails with EINVAL, so
# Radicale's delay after a wrong password breaks the request), while timers and
# timeouts, which only take differences, behave either way. The server tests run on
# SQLite (a PostgreSQL server would keep the real time).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
started=$SECONDS
unset TEST_POSTGRES

# label | wall-clock time | its zone (the TZ of every process)
INSTANTS=(
  "a Friday 16:40 in Lisbon|2026-12-04 16:40:00|Europe/Lisbon"
  "a Saturday noon UTC|2026-12-05 12:00:00|UTC"
  "a Sunday 23:59:30 UTC|2026-12-06 23:59:30|UTC"
  "the night Europe's clocks change|2027-03-28 00:59:30|UTC"
  "New Year's Eve 23:59:30 UTC|2027-12-31 23:59:30|UTC"
  "leap day noon UTC|2028-02-29 12:00:00|UTC"
)
PARTS=${PARTS:-server e2e}
chosen=("$@")
[ ${#chosen[@]} -gt 0 ] || chosen=($(seq 1 ${#INSTANTS[@]}))

scripts/install.sh
command -v faketime >/dev/null || { echo "faketime is missing (scripts/install.sh installs it)" >&2; exit 1; }
LIBFAKETIME=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
[ -n "$LIBFAKETIME" ] || { echo "libfaketimeMT.so.1 not found" >&2; exit 1; }

SERVER_TESTS=(meetings activity privacy live_chat)
E2E_TESTS=(meetings metrics data live)
logs=target/test-clock
mkdir -p "$logs"

echo "==> building on the real clock"
if [[ " $PARTS " == *" server "* ]]; then
  # The test executables (absolute paths), from cargo's own report.
  mapfile -t executables < <(cargo test --no-run -p chinwag-server "${SERVER_TESTS[@]/#/--test=}" --message-format=json \
    | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        for (const l of s.split("\n")) {
          const m = l.startsWith("{") ? JSON.parse(l) : {};
          if (m.reason === "compiler-artifact" && m.executable && m.profile.test) console.log(m.executable);
        }
      })')
  [ ${#executables[@]} -eq ${#SERVER_TESTS[@]} ] || { echo "expected ${#SERVER_TESTS[@]} test executables, got: ${executables[*]:-none}" >&2; exit 1; }
fi
if [[ " $PARTS " == *" e2e "* ]]; then
  cargo build -p chinwag-server
  build_widget
  (cd crates/inbox && trunk build --release --dist ../../target/inbox-dist)
fi

# Runs "$@" with the clock at wall-clock time $1 in zone $2, running on from there.
at() {
  local when=$1 zone=$2
  shift 2
  local offset=$(( $(TZ=$zone date -d "$when" +%s) - $(date +%s) ))
  [ "$offset" -ge 0 ] && offset="+$offset"
  TZ=$zone LD_PRELOAD="$LIBFAKETIME${LD_PRELOAD:+:$LD_PRELOAD}" FAKETIME="$offset" \
    FAKETIME_DONT_FAKE_MONOTONIC=0 "$@"
}

# Each test executable and each end-to-end file starts at the instant: every one of
# them crosses midnight when the instant is just before it.
run_part() {
  local part=$1 when=$2 zone=$3 code=0
  case $part in
    server)
      for exe in "${executables[@]}"; do
        echo "--- $(basename "$exe") from $(at "$when" "$zone" date)"
        # As cargo runs them: from the package's directory.
        (cd crates/server && at "$when" "$zone" env CARGO_MANIFEST_DIR="$PWD" "$exe") || code=1
      done ;;
    e2e)
      for name in "${E2E_TESTS[@]}"; do
        echo "--- e2e/$name.test.mjs from $(at "$when" "$zone" date)"
        at "$when" "$zone" node --test "e2e/$name.test.mjs" || code=1
      done ;;
  esac
  return $code
}

failed=0
results=()
for n in "${chosen[@]}"; do
  IFS='|' read -r label when zone <<<"${INSTANTS[$((n - 1))]}"
  for part in $PARTS; do
    log="$logs/$n-$part.log"
    t0=$SECONDS
    echo "==> $n. $label ($when $zone): $part tests (log: $log)"
    run_part "$part" "$when" "$zone" >"$log" 2>&1 && ok=1 || ok=0
    took=$((SECONDS - t0))
    if [ $ok = 1 ]; then
      results+=("ok      $n. $label: $part ($took s)")
    else
      failed=1
      results+=("FAILED  $n. $label: $part ($took s, $log)")
      tail -n 40 "$log"
    fi
    echo "${results[-1]}"
  done
done

echo "==> results"
printf '%s\n' "${results[@]}"
echo "==> scripts/test-clock.sh took $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
exit $failed
