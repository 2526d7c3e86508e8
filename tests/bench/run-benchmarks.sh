#!/usr/bin/env bash
# Runs every benchmark against its own throwaway PostgreSQL cluster and prints each figure
# beside the reference measured in the same run.
# Usage: run-benchmarks.sh BUILD_TESTS_DIR BENCHBED [BENCH_NAME...]   (names: only those)
set -uo pipefail
bin=$1
bed=$2
shift 2
only=" $* "
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/support/pgcluster.sh" start "$bed" >/dev/null || exit 1
trap '"$here/support/pgcluster.sh" stop "$bed" >/dev/null' EXIT
export MIGRATIONDESK_TESTBED=$bed QT_QPA_PLATFORM=offscreen
status=0
# The console's goal holds with one core busy: `yes` on the last CPU, the benchmark (GUI thread,
# runner, generator) on the first. Without taskset or with one CPU it runs as is.
run_console() {
  local cpus last
  cpus=$(nproc)
  if command -v taskset >/dev/null && [ "$cpus" -ge 2 ]; then
    last=$((cpus - 1))
    taskset -c "$last" yes >/dev/null &
    local busy=$!
    echo "(yes > /dev/null busy on CPU $last; benchmark pinned to CPU 0)"
    taskset -c 0 "$1"
    local rc=$?
    kill "$busy"
    wait "$busy" 2>/dev/null
    return $rc
  fi
  "$1"
}
for b in "$bin"/bench_*; do
  [ -f "$b" ] && [ -x "$b" ] || continue
  [ "$only" = "  " ] || [[ "$only" == *" $(basename "$b") "* ]] || continue
  echo "== $(basename "$b")"
  if [ "$(basename "$b")" = bench_console ]; then
    run_console "$b" || status=1
  else
    "$b" || status=1
  fi
done
exit $status
