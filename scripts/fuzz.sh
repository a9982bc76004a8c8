#!/usr/bin/env bash
# Coverage-guided fuzzing with AFL++ (cargo afl, stable Rust) of every target in
# crates/fuzz: the dialogue JSON → validator → engine, the wire frames, the site's
# appearance and locales. Installs cargo-afl when missing.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 20 s each, every target
#
# Prints, per target, how many inputs ran and how many crashed; a crash's input is
# copied to crates/fuzz/crashes/TARGET/ (commit it: `cargo test -p chinwag-fuzz` then
# replays it for good). Exits non-zero when anything crashed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
seconds="${1:-20}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(dialogue frames site)

if ! cargo afl --version >/dev/null 2>&1; then
  echo "==> installing cargo-afl (once)"
  cargo install cargo-afl --version 0.18.2 --locked
fi
# Builds AFL++ itself the first time (a minute or two); says so when already built.
if ! built=$(cargo afl config --build 2>&1) && ! grep -q "already built" <<<"$built"; then
  echo "$built" >&2
  exit 1
fi

# Its own target dir: AFL's instrumentation flags would otherwise rebuild the shared one.
export CARGO_TARGET_DIR="$ROOT/target/fuzz"
cargo afl build --release -q -p chinwag-fuzz --features afl

export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_QUIET=1
export AFL_NO_AFFINITY=1 AFL_SKIP_CRASHES=1
failed=0
for t in "${targets[@]}"; do
  out="$ROOT/target/fuzz/afl-$t-${seconds}s"
  rm -rf "$out"
  # -V: stop after that many seconds; -m none: Rust reserves address space freely.
  cargo afl fuzz -V "$seconds" -m none -i "crates/fuzz/corpus/$t" -o "$out" \
    "$CARGO_TARGET_DIR/release/fuzz-$t" >"$out.log" 2>&1 || { tail -20 "$out.log"; failed=1; }
  stats="$out/default/fuzzer_stats"
  runs=$(awk -F': *' '/^execs_done/ {print $2}' "$stats" 2>/dev/null || echo 0)
  crashes=$(find "$out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  printf '%-9s %12s inputs run, %s crashes (%s s)\n' "$t" "$runs" "$crashes" "$seconds"
  if [ "$crashes" -gt 0 ]; then
    failed=1
    mkdir -p "crates/fuzz/crashes/$t"
    for c in "$out"/default/crashes/id:*; do cp "$c" "crates/fuzz/crashes/$t/$(basename "$c" | tr ':,' '__')"; done
  fi
done
exit $failed
