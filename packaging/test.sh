#!/usr/bin/env bash
# The newcomer's second command (and what CI runs): install, build and run every test.
# Usage: packaging/test.sh [dev|asan]   (default dev)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-dev}
packaging/setup-debian.sh
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset" --timeout 900
