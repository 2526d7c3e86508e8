#!/bin/sh
# Writes its pid to $1, prints $DB_PASSWORD on both channels (the runner must mask it), then
# waits until $1.go exists (so the test can read /proc/PID/cmdline) and fails with exit 5.
echo "$$" > "$1.tmp" && mv "$1.tmp" "$1"
echo "password is $DB_PASSWORD"
echo "error: password $DB_PASSWORD rejected" >&2
i=0
while [ ! -e "$1.go" ] && [ "$i" -lt 200 ]; do
    sleep 0.05
    i=$((i + 1))
done
exit 5
