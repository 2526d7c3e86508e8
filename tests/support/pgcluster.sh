#!/bin/bash
# Throwaway PostgreSQL 15 cluster for tests, benchmarks and the demo.
#
#   pgcluster.sh start DIR   new cluster on a free 127.0.0.1 port (restarts cleanly if DIR has one)
#   pgcluster.sh stop DIR    stop it and remove its data (idempotent)
#   pgcluster.sh halt DIR    stop the server, keep the data        (fake `docker compose down`)
#   pgcluster.sh resume DIR  start it again; initdb anew (same port
#                            and password) when the data was wiped  (fake `docker compose up -d`)
#   pgcluster.sh wipe DIR    halt and delete the data               (fake `docker volume rm`)
#   pgcluster.sh status DIR  exit 0 when the server accepts connections
#
# DIR gets pg.env (KEY=VALUE: PGHOST PGPORT PGUSER PGDATA PGBIN PGSOCKET) and pgpass (the
# superuser password only, mode 0600). The data lives in a fresh mktemp -d under /tmp, owned by
# the postgres user when run as root, because the server refuses to run as root.
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
TMP_PREFIX=/tmp/migrationdesk-pg.

die() { echo "pgcluster.sh: $*" >&2; exit 1; }

usage() { die "usage: pgcluster.sh start|stop|halt|resume|wipe|status DIR"; }

[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)

# Run a PostgreSQL binary as the postgres user when we are root, as ourselves otherwise.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd /tmp && runuser -u postgres -- "$@")
    else
        (cd /tmp && "$@")
    fi
}

env_value() { # KEY -> value from DIR/pg.env
    [ -f "$DIR/pg.env" ] || return 0
    sed -n "s/^$1=//p" "$DIR/pg.env" | head -n 1
}

free_port() {
    # Ask the kernel for an unused port; the caller retries if it is taken before the server binds.
    /usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

is_running() {
    local data=$1
    [ -n "$data" ] && [ -f "$data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# initdb DATA SOCKETDIR PORT PASSWORD
init_cluster() {
    local data=$1 sock=$2 port=$3 password=$4
    local pwfile="$sock/pwfile"
    (umask 077; printf '%s\n' "$password" >"$pwfile")
    [ "$(id -u)" -eq 0 ] && chown postgres: "$pwfile"
    if ! as_pg "$PGBIN/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
            -E UTF8 --locale=C >"$sock/initdb.log" 2>&1; then
        rm -f "$pwfile"
        cat "$sock/initdb.log" >&2
        return 1
    fi
    rm -f "$pwfile"
    write_port_conf "$data" "$sock" "$port"
}

write_port_conf() {
    local data=$1 sock=$2 port=$3
    # Settings live in postgresql.auto.conf-like include so a restart keeps them.
    cat >"$data/migrationdesk.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
password_encryption = 'scram-sha-256'
EOF
    grep -q "^include_if_exists = 'migrationdesk.conf'" "$data/postgresql.conf" ||
        echo "include_if_exists = 'migrationdesk.conf'" >>"$data/postgresql.conf"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$data/migrationdesk.conf"
    return 0
}

start_server() { # DATA SOCKETDIR
    as_pg "$PGBIN/pg_ctl" -D "$1" -l "$2/server.log" -w -t 60 start >/dev/null
}

wait_ready() { # PORT
    local i
    for i in $(seq 1 100); do
        "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$1" && return 0
        sleep 0.1
    done
    return 1
}

do_stop() {
    local data sock
    data=$(env_value PGDATA)
    sock=$(env_value PGSOCKET)
    if [ -n "$data" ] && is_running "$data"; then
        as_pg "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
    fi
    # Only ever delete what we created.
    if [ -n "$sock" ] && [[ "$sock" == "$TMP_PREFIX"* ]] && [ -d "$sock" ]; then
        rm -rf "$sock"
    fi
    rm -f "$DIR/pg.env" "$DIR/pgpass"
}

do_start() {
    [ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 is not installed ($PGBIN/initdb missing)"
    do_stop
    local sock data password port attempt
    sock=$(mktemp -d "${TMP_PREFIX}XXXXXX")
    chmod 755 "$sock"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$sock"
    data="$sock/data"
    password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
    port=$(free_port)
    if ! init_cluster "$data" "$sock" "$port" "$password"; then
        rm -rf "$sock"
        die "initdb failed"
    fi
    for attempt in 1 2 3 4 5; do
        if start_server "$data" "$sock"; then
            break
        fi
        # Most likely someone took the port between our probe and the bind: pick another.
        if [ "$attempt" -eq 5 ]; then
            cat "$sock/server.log" >&2 || true
            rm -rf "$sock"
            die "the server did not start"
        fi
        port=$(free_port)
        write_port_conf "$data" "$sock" "$port"
    done
    wait_ready "$port" || die "the server does not accept connections on port $port"

    (umask 077; printf '%s\n' "$password" >"$DIR/pgpass")
    chmod 600 "$DIR/pgpass"
    cat >"$DIR/pg.env" <<EOF
PGHOST=127.0.0.1
PGPORT=$port
PGUSER=postgres
PGDATA=$data
PGBIN=$PGBIN
PGSOCKET=$sock
EOF
    echo "PostgreSQL 15 running on 127.0.0.1:$port (data $data)"
}

do_halt() {
    local data
    data=$(env_value PGDATA)
    [ -n "$data" ] || die "no cluster in $DIR"
    if is_running "$data"; then
        as_pg "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
}

do_resume() {
    local data sock port password
    data=$(env_value PGDATA)
    sock=$(env_value PGSOCKET)
    port=$(env_value PGPORT)
    [ -n "$data" ] && [ -d "$sock" ] || die "no cluster in $DIR (run start first)"
    is_running "$data" && return 0
    if [ ! -f "$data/PG_VERSION" ]; then
        password=$(head -n 1 "$DIR/pgpass")
        rm -rf "$data"
        init_cluster "$data" "$sock" "$port" "$password" || die "initdb failed"
    fi
    if ! start_server "$data" "$sock"; then
        cat "$sock/server.log" >&2 || true
        die "the server did not start on port $port"
    fi
    wait_ready "$port" || die "the server does not accept connections on port $port"
}

do_wipe() {
    local data
    data=$(env_value PGDATA)
    [ -n "$data" ] || die "no cluster in $DIR"
    do_halt
    [[ "$data" == "$TMP_PREFIX"* ]] || die "refusing to delete $data"
    rm -rf "$data"
}

do_status() {
    local port
    port=$(env_value PGPORT)
    [ -n "$port" ] && "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port"
}

case "$cmd" in
    start) do_start ;;
    stop) do_stop ;;
    halt) do_halt ;;
    resume) do_resume ;;
    wipe) do_wipe ;;
    status) do_status ;;
    *) usage ;;
esac
