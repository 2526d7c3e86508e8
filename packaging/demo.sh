#!/usr/bin/env bash
# The newcomer's first command: install, build, and open MigrationDesk on the demo project
# (a private PostgreSQL and a Hanna-shaped Django project in ~/.cache/MigrationDesk/demo).
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/setup-debian.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/src/migrationdesk --demo "$@"
