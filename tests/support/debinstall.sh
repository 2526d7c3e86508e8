#!/usr/bin/env bash
# debinstall.sh BUILD_DIR TESTBED_DIR: the .deb (built by the CTest fixture "deb": cpack) as a user
# gets it. Its contents and control fields, then `apt-get install ./migrationdesk_….deb` into the
# clean Debian 12 root of the test bed (migrationdesk-testbed/rootfs:bookworm: postgresql-15,
# Django, git, no Qt), which must pull in exactly what the package declares; then the installed
# binary runs --version, --help (no display) and `status` on a migrated fixture project whose
# database is the test bed's cluster (reached over the host network).
#
# The root image has no apt lists: a private apt state for bookworm (lists and downloaded .debs)
# is kept in the test bed cache, as dockerbed.sh keeps trixie's; the install itself uses only that
# cache, so later runs need no network.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: debinstall.sh BUILD_DIR TESTBED_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
testbed=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
CACHE=${MIGRATIONDESK_TESTBED_CACHE:-/var/cache/migrationdesk-testbed}
MIRROR=${MIGRATIONDESK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
ROOTFS_IMAGE=migrationdesk-testbed/rootfs:bookworm
fail() { echo "debinstall: FAIL: $*" >&2; exit 1; }
say() { echo "debinstall: $*"; }

# No engine: skipped like the tst_docker_* tests (a failure when CI requires docker).
if [ -f "$testbed/docker.env" ] && grep -q '^DOCKER_AVAILABLE=0' "$testbed/docker.env"; then
    echo "################ NO DOCKER ENGINE: $(sed -n 's/^DOCKER_REASON=//p' "$testbed/docker.env") ################"
    [ "${MIGRATIONDESK_REQUIRE_DOCKER:-0}" = 1 ] && exit 1
    exit 77
fi
if [ -f "$testbed/docker.env" ]; then
    DOCKER_CONFIG=$(sed -n 's/^DOCKER_CONFIG=//p' "$testbed/docker.env")
    export DOCKER_CONFIG
fi

deb=$(ls -t "$build"/packages/migrationdesk_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no $build/packages/migrationdesk_*.deb (the package_deb test makes it: cpack)"
say "checking $(basename "$deb")"

# What is in the package.
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for path in ./usr/bin/migrationdesk \
            ./usr/share/applications/io.github.migrationdesk.migrationdesk.desktop \
            ./usr/share/metainfo/io.github.migrationdesk.migrationdesk.metainfo.xml \
            ./usr/share/icons/hicolor/scalable/apps/migrationdesk.svg \
            ./usr/share/icons/hicolor/16x16/apps/migrationdesk.png \
            ./usr/share/icons/hicolor/256x256/apps/migrationdesk.png \
            ./usr/share/man/man1/migrationdesk.1.gz \
            ./usr/share/bash-completion/completions/migrationdesk \
            ./usr/share/zsh/vendor-completions/_migrationdesk \
            ./usr/share/doc/migrationdesk/json-schema.md \
            ./usr/share/migrationdesk/demo/hanna/docker-compose.yml; do
    grep -qxF "$path" <<<"$contents" || fail "the package lacks $path"
done
! grep -q '^\./usr/local' <<<"$contents" || fail "the package installs under /usr/local"
depends=$(dpkg-deb -f "$deb" Depends)
recommends=$(dpkg-deb -f "$deb" Recommends)
for dep in libqt6core6 libqt6gui6 libqt6widgets6 libqt6sql6 libqt6sql6-psql libyaml-cpp0.7 postgresql-client git; do
    grep -q "$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
grep -q docker.io <<<"$recommends" || fail "Recommends lacks docker.io: $recommends"
say "Depends: $depends"

docker image inspect "$ROOTFS_IMAGE" >/dev/null 2>&1 || fail "no $ROOTFS_IMAGE (the docker_start fixture builds it)"

# A private apt state for bookworm, as the root image's own sources say.
apt=$CACHE/bookworm-apt
mkdir -p "$apt/lists/partial" "$apt/archives/partial"
printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s bookworm main\n' "$MIRROR" >"$apt/sources.list"
apt_opts=(-o Dir::Etc::SourceList=/apt/sources.list -o Dir::Etc::SourceParts=/dev/null
          -o Dir::State::Lists=/apt/lists -o Dir::Cache::Archives=/apt/archives -o Debug::NoLocking=1
          -o APT::Sandbox::User=root)
if [ -z "$(find "$apt/lists" -maxdepth 1 -name '*_Packages*' -mtime -7 2>/dev/null)" ]; then
    say "fetching bookworm's package lists into $apt (once a week)"
    docker run --rm -v "$apt:/apt" "$ROOTFS_IMAGE" apt-get "${apt_opts[@]}" -qq update >"$apt/update.log" 2>&1 ||
        { tail -n 20 "$apt/update.log" >&2; fail "apt-get update (see $apt/update.log)"; }
fi
pkgdir=$(mktemp -d /tmp/migrationdesk-deb.XXXXXX)
trap 'rm -rf "$pkgdir"' EXIT
cp "$deb" "$pkgdir/migrationdesk.deb"
say "downloading what the root image lacks (cached in $apt/archives)"
docker run --rm -v "$apt:/apt" -v "$pkgdir:/pkg:ro" "$ROOTFS_IMAGE" \
    apt-get "${apt_opts[@]}" -qq install -y --download-only --no-install-recommends /pkg/migrationdesk.deb \
    >"$pkgdir/download.log" 2>&1 || { tail -n 30 "$pkgdir/download.log" >&2; fail "downloading the dependencies"; }

# A migrated fixture project on the test bed's cluster.
port=$(sed -n 's/^PGPORT=//p' "$testbed/pg.env")
user=$(sed -n 's/^PGUSER=//p' "$testbed/pg.env")
password=$(head -n 1 "$testbed/pgpass")
[ -n "$port" ] || fail "the PostgreSQL fixture is not running ($testbed/pg.env)"
db=mddeb_$$_$RANDOM
export PGPASSWORD=$password
psql -h 127.0.0.1 -p "$port" -U "$user" -d postgres -qAtc "CREATE DATABASE $db" || fail "CREATE DATABASE"
trap 'psql -h 127.0.0.1 -p "$port" -U "$user" -d postgres -qAtc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; rm -rf "$pkgdir"' EXIT
cp -r "$source_dir/tests/fixtures/hanna" "$pkgdir/project"
find "$pkgdir/project" -name __pycache__ -prune -exec rm -rf {} +
sed -i -e "s/^DB_NAME=.*/DB_NAME=$db/" -e "s/^DB_USER=.*/DB_USER=$user/" -e "s/^DB_PASSWORD=.*/DB_PASSWORD=$password/" \
       -e "s/^DB_HOST=.*/DB_HOST=127.0.0.1/" -e "s/^DB_PORT=.*/DB_PORT=$port/" "$pkgdir/project/.env"
chmod -R a+rX "$pkgdir"

cat >"$pkgdir/inside.sh" <<'INSIDE'
set -euo pipefail
fail() { echo "debinstall (in the root image): FAIL: $*" >&2; exit 1; }
! command -v migrationdesk >/dev/null || fail "migrationdesk is there before the install"
# From the cache only (--no-download trips over a local .deb): a download would go to a port that
# refuses, and fail the test.
apt-get "$@" -o Acquire::http::Proxy=http://127.0.0.1:9/ -qq install -y --no-install-recommends /pkg/migrationdesk.deb \
    >/tmp/install.log 2>&1 ||
    { cat /tmp/install.log >&2; fail "apt-get install ./migrationdesk.deb"; }
dpkg -s migrationdesk | grep -q '^Status: install ok installed' || fail "dpkg -s"
unset DISPLAY WAYLAND_DISPLAY QT_QPA_PLATFORM
[ "$(migrationdesk --version)" = "migrationdesk $VERSION" ] || fail "--version: $(migrationdesk --version)"
migrationdesk --help | grep -q '^  status ' || fail "--help lists no commands"
migrationdesk status --help >/dev/null || fail "status --help"
set +e
migrationdesk >/dev/null 2>/tmp/window.err; rc=$?
set -e
[ $rc = 2 ] && grep -q 'no display' /tmp/window.err || fail "the window without a display: exit $rc"
# The installed binary migrates the project with its own Django, then reads the state.
local_target=(--project /project --target local --python /usr/bin/python3 --db-port "$DB_PORT")
migrationdesk status "${local_target[@]}" >/dev/null 2>&1 && fail "status before migrate says all applied" || true
migrationdesk run migrate "${local_target[@]}" --yes >/tmp/migrate.log 2>&1 ||
    { cat /tmp/migrate.log >&2; fail "run migrate"; }
set +e
migrationdesk status "${local_target[@]}" >/tmp/status.out 2>/tmp/status.err; rc=$?
set -e
cat /tmp/status.out
[ $rc = 0 ] || { cat /tmp/status.err >&2; fail "status exit $rc"; }
grep -q 'Applied' /tmp/status.out || fail "status shows nothing applied"
migrationdesk status --json "${local_target[@]}" |
    python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["kind"] == "status" and d["counts"]["Pending"] == 0, d["counts"]' ||
    fail "status --json"
[ -f /usr/share/icons/hicolor/48x48/apps/migrationdesk.png ] || fail "no icon installed"
echo "debinstall (in the root image): installed, --version, --help, status: all passed"
INSIDE

say "installing into a fresh $ROOTFS_IMAGE"
docker run --rm --network host -e VERSION="$(dpkg-deb -f "$deb" Version)" -e DB_PORT="$port" \
    -v "$apt:/apt" -v "$pkgdir:/pkg:ro" -v "$pkgdir/project:/project" "$ROOTFS_IMAGE" \
    bash /pkg/inside.sh "${apt_opts[@]}" || fail "the install in the root image (above)"
say "all checks passed"
