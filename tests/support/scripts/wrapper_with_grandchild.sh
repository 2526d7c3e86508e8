#!/bin/sh
# A wrapper that starts a long-running grandchild and waits for it, as real wrappers around
# tools do. $1: file that receives the grandchild's pid. $2 = ignore-term: the grandchild
# ignores SIGTERM, so only SIGKILL to the whole group ends it.
if [ "$2" = ignore-term ]; then
    (trap '' TERM; exec sleep 300) &
else
    sleep 300 &
fi
echo "$!" > "$1.tmp" && mv "$1.tmp" "$1"
echo "wrapper $$ started grandchild $!"
wait
