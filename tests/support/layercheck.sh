#!/bin/bash
# The layering, proved on the real build: each "fail" probe (a file in a layer that includes a
# header of a layer above it) must fail to compile because the header is not found, each "ok"
# probe (a downward include) must compile, no source reaches around with "../", and every
# PostgreSQL connection is added in one place.
# usage: layercheck.sh BUILD_DIR SOURCE_DIR fail:TARGET:HEADER... ok:TARGET...
set -u
build=$1 source=$2
shift 2
status=0
if grep -rnE '#include "\.\./' "$source/src" "$source/tests"; then
    echo "FAIL: an include climbs out of its layer's folder with ../"
    status=1
fi
# One door to PostgreSQL: DatabaseConnection::addConfigured sets every connection's options and
# keeps OpenSSL from tearing down at exit (db/pgclientlibrary.h). tst_pg_clientexit's control
# bypasses it on purpose.
if grep -rn --include='*.cpp' --include='*.h' 'addDatabase(' "$source/src" "$source/tests" \
        | grep -v -e 'src/core/db/databaseconnection.cpp:' -e 'tests/auto/tst_pg_clientexit.cpp:'; then
    echo "FAIL: a QSqlDatabase::addDatabase outside DatabaseConnection::addConfigured"
    status=1
fi
for probe in "$@"; do
    IFS=: read -r kind target header <<<"$probe"
    out=$(cmake --build "$build" --target "$target" 2>&1)
    rc=$?
    if [ "$kind" = ok ]; then
        if [ $rc -ne 0 ]; then echo "FAIL: $target (a downward include) did not compile:"; echo "$out" | tail -5; status=1
        else echo "ok: $target compiles"; fi
    else
        if [ $rc -eq 0 ]; then echo "FAIL: $target compiled: its layer can include $header"; status=1
        elif ! grep -q "$header: No such file or directory" <<<"$out"; then
            echo "FAIL: $target failed for another reason than the missing $header:"; echo "$out" | tail -5; status=1
        else echo "ok: $target refused: $header is not visible"; fi
    fi
done
exit $status
