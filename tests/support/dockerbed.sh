#!/bin/bash
# The real Docker engine of the test bed (no imitation): dockerd, both compose CLIs and the
# images the fixture projects run, built from Debian packages because no registry is reachable.
#
#   dockerbed.sh start DIR   make sure dockerd answers (start it as root when it does not, log in
#                            DIR/dockerd.log, left running), put compose v2 (Debian trixie's
#                            docker-compose, extracted) into DIR/docker-config/cli-plugins, build
#                            the images once, then write DIR/docker.env
#   dockerbed.sh stop DIR    remove what tests left: containers, volumes and networks of this
#                            test bed's compose projects (named mdt<hash of DIR>…)
#
# DIR/docker.env (KEY=VALUE): DOCKER_AVAILABLE (1/0), DOCKER_CONFIG, DOCKER_REASON.
# Images: migrationdesk-testbed/rootfs:bookworm (debootstrap --variant=minbase),
# migrationdesk-testbed/postgres:15 and :15-alpine (a stand-in honouring the official image's
# POSTGRES_* / PGDATA contract; never tagged postgres:* so a developer's real images stay) and
# migrationdesk-testbed/python:bookworm (python, Django, psycopg2, git; WORKDIR /app).
# With MIGRATIONDESK_REQUIRE_DOCKER=1 (CI) a missing engine is a failure, not a skip.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${MIGRATIONDESK_TESTBED_CACHE:-/var/cache/migrationdesk-testbed}
IMAGE_VERSION=3 # bump when the Dockerfiles or the root image's package list change
ROOTFS_IMAGE=migrationdesk-testbed/rootfs:bookworm
PYTHON_IMAGE=migrationdesk-testbed/python:bookworm
POSTGRES_IMAGE=migrationdesk-testbed/postgres:15
MIRROR=${MIGRATIONDESK_DEBIAN_MIRROR:-http://deb.debian.org/debian}

[ $# -eq 2 ] || { echo "usage: dockerbed.sh start|stop DIR" >&2; exit 2; }
cmd=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)
export DOCKER_CONFIG=$DIR/docker-config
# Stacks of this test bed are named mdt<6 hex of DIR>…: cleanup never touches another build's.
PREFIX=mdt$(printf '%s' "$DIR" | sha1sum | cut -c1-6)
mkdir -p "$DOCKER_CONFIG/cli-plugins"

say() { echo "dockerbed: $*"; }

unavailable() {
    printf 'DOCKER_AVAILABLE=0\nDOCKER_CONFIG=%s\nDOCKER_REASON=%s\n' "$DOCKER_CONFIG" "$1" >"$DIR/docker.env"
    echo "################ DOCKER ENGINE TESTS WILL NOT RUN: $1 ################"
    if [ "${MIGRATIONDESK_REQUIRE_DOCKER:-0}" = 1 ]; then
        exit 1
    fi
    exit 0
}

engine_answers() { timeout 20 docker info >/dev/null 2>&1; }

start_engine() {
    engine_answers && return 0
    command -v dockerd >/dev/null || unavailable "dockerd is not installed (apt-get install docker.io iptables)"
    [ "$(id -u)" -eq 0 ] || unavailable "no Docker engine answers and only root can start dockerd"
    say "starting dockerd (log: $DIR/dockerd.log)"
    # setsid + every descriptor to the log: the engine outlives this fixture and CTest does not
    # wait on its pipes.
    setsid dockerd >"$DIR/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do
        engine_answers && return 0
        sleep 0.5
    done
    tail -n 5 "$DIR/dockerd.log" >&2
    unavailable "dockerd did not answer within 30 s (see $DIR/dockerd.log)"
}

# Compose v2: Debian trixie's docker-compose package, fetched with a private sources list so the
# machine's own apt configuration is not touched, and only its cli plugin kept.
install_compose_v2() {
    local plugin=$DOCKER_CONFIG/cli-plugins/docker-compose
    [ -x "$plugin" ] && return 0
    local apt=$CACHE/trixie-apt
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
    if ! ls "$apt"/debs/docker-compose_2*.deb >/dev/null 2>&1; then
        say "downloading compose v2 (trixie's docker-compose)"
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR trixie main" >"$apt/sources.list"
        local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
                    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
                    -o APT::Sandbox::User=root -q)
        apt-get "${opts[@]}" update >"$apt/update.log" 2>&1 &&
            (cd "$apt/debs" && apt-get "${opts[@]}" download docker-compose >"$apt/download.log" 2>&1) ||
            unavailable "could not download trixie's docker-compose (see $apt/*.log)"
    fi
    local x
    x=$(mktemp -d)
    dpkg -x "$(ls "$apt"/debs/docker-compose_2*.deb | tail -n 1)" "$x"
    install -m 0755 "$x/usr/libexec/docker/cli-plugins/docker-compose" "$plugin"
    rm -rf "$x"
    docker compose version >/dev/null 2>&1 || unavailable "compose v2 plugin does not run"
}

image_current() {
    [ "$(docker image inspect -f '{{index .Config.Labels "migrationdesk.testbed"}}' "$1" 2>/dev/null)" = "$IMAGE_VERSION" ]
}

build_images() {
    if ! image_current "$ROOTFS_IMAGE"; then
        local root=$CACHE/rootfs-$IMAGE_VERSION
        if [ ! -f "$root/.complete" ]; then
            say "debootstrap of the root image (about a minute)"
            rm -rf "$root"
            mkdir -p "$root"
            debootstrap --variant=minbase \
                --include=postgresql-15,python3-django,python3-psycopg2,git,ca-certificates,procps \
                bookworm "$root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
                { tail -n 20 "$CACHE/debootstrap.log" >&2; unavailable "debootstrap failed (see $CACHE/debootstrap.log)"; }
            # The package's own cluster and caches are not part of a base image.
            rm -rf "$root"/var/lib/postgresql/15 "$root"/etc/postgresql/15/main "$root"/var/cache/apt/archives/*.deb \
                   "$root"/var/lib/apt/lists/*
            touch "$root/.complete"
        fi
        say "importing $ROOTFS_IMAGE"
        tar --exclude=./.complete -C "$root" -c . |
            docker import -c "LABEL migrationdesk.testbed=$IMAGE_VERSION" -c 'CMD ["/bin/bash"]' - "$ROOTFS_IMAGE" >/dev/null ||
            unavailable "docker import of the root image failed"
    fi
    if ! image_current "$POSTGRES_IMAGE" || ! image_current "$PYTHON_IMAGE"; then
        say "building $POSTGRES_IMAGE and $PYTHON_IMAGE"
        DOCKER_BUILDKIT=0 docker build -q --label "migrationdesk.testbed=$IMAGE_VERSION" \
            -t "$POSTGRES_IMAGE" -t "$POSTGRES_IMAGE-alpine" -f "$HERE/docker/postgres.Dockerfile" "$HERE/docker" >/dev/null &&
        DOCKER_BUILDKIT=0 docker build -q --label "migrationdesk.testbed=$IMAGE_VERSION" \
            -t "$PYTHON_IMAGE" -f "$HERE/docker/python.Dockerfile" "$HERE/docker" >/dev/null ||
            unavailable "building the stand-in images failed"
    fi
}

cleanup() {
    engine_answers || return 0
    local ids=""
    for p in $(docker ps -a --format '{{.Label "com.docker.compose.project"}}' | sort -u | grep "^$PREFIX"); do
        ids="$ids $(docker ps -aq --filter "label=com.docker.compose.project=$p")"
    done
    [ -n "${ids// /}" ] && docker rm -f $ids >/dev/null 2>&1
    for v in $(docker volume ls -q | grep "^$PREFIX"); do
        docker volume rm -f "$v" >/dev/null 2>&1
    done
    docker network ls --format '{{.Name}}' | grep "^$PREFIX" | xargs -r docker network rm >/dev/null 2>&1
    docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$PREFIX" | xargs -r docker rmi -f >/dev/null 2>&1
    return 0
}

case $cmd in
start)
    mkdir -p "$CACHE"
    start_engine
    install_compose_v2
    command -v docker-compose >/dev/null || unavailable "compose v1 is not installed (apt-get install docker-compose)"
    build_images
    cleanup
    printf 'DOCKER_AVAILABLE=1\nDOCKER_CONFIG=%s\nDOCKER_REASON=\n' "$DOCKER_CONFIG" >"$DIR/docker.env"
    say "engine $(docker version -f '{{.Server.Version}}'), $(docker compose version --short 2>/dev/null) and $(docker-compose version --short 2>/dev/null) ready"
    ;;
stop)
    cleanup
    ;;
*)
    echo "usage: dockerbed.sh start|stop DIR" >&2
    exit 2
    ;;
esac
