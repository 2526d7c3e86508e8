#!/bin/sh
# Stands in for a project's Python interpreter that hangs (for the CLI's Ctrl+C test): whatever
# the arguments, it says so, starts a grandchild that sleeps and waits for it.
echo "sleepy python $$ got: $*"
# The test interrupts once it is running and has spoken (not after a guessed delay).
[ -n "$SLEEPY_PYTHON_STARTED" ] && : > "$SLEEPY_PYTHON_STARTED"
sleep 300 &
wait
