#!/usr/bin/env bash
# Runs every benchmark against its own throwaway PostgreSQL cluster and prints each figure
# beside the reference measured in the same run.  Usage: run-benchmarks.sh BUILD_TESTS_DIR BENCHBED
set -uo pipefail
bin=$1
bed=$2
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/support/pgcluster.sh" start "$bed" >/dev/null || exit 1
trap '"$here/support/pgcluster.sh" stop "$bed" >/dev/null' EXIT
export MIGRATIONDESK_TESTBED=$bed QT_QPA_PLATFORM=offscreen
status=0
for b in "$bin"/bench_*; do
  [ -f "$b" ] && [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" || status=1
done
exit $status
