#!/bin/sh
# Stands in for a project's Python interpreter that hangs (for the CLI's Ctrl+C test): whatever
# the arguments, it starts a grandchild that sleeps and waits for it.
echo "sleepy python $$ got: $*"
sleep 300 &
wait
