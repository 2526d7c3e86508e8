#!/bin/sh
# Prints to both channels, then exits with $1: stderr has 15 numbered lines.
echo "some output"
i=1
while [ "$i" -le 15 ]; do
    echo "error line $i" >&2
    i=$((i + 1))
done
exit "$1"
