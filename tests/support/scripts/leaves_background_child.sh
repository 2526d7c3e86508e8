#!/bin/sh
# Succeeds at once but leaves a sleeping child in the background (a daemon, `cmd &`), as a careless
# wrapper does. $1: file that receives the child's pid.
sleep 300 >/dev/null 2>&1 </dev/null &
echo "$!" > "$1.tmp" && mv "$1.tmp" "$1"
echo "started $! in the background"
exit 0
