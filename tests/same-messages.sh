#!/bin/sh
# same-messages.sh BINARY ARGS... - runs `BINARY -j 1 ARGS...` and
# `BINARY -j 2 ARGS...` and fails unless both print the same (both
# streams) and exit the same: with two threads the fonts are made and half
# of a long contributions list is read on a second thread, and what those
# threads have to say must come out as one thread says it. A helper of
# tests/cli/jobs.test.
set -u
bin=$1
shift
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
for j in 1 2; do
    "$bin" -j "$j" "$@" >"$d/$j.out" 2>&1
    echo "exit $?" >>"$d/$j.out"
done
if ! cmp -s "$d/1.out" "$d/2.out"; then
    echo "--jobs 1 and --jobs 2 said different things:" >&2
    diff "$d/1.out" "$d/2.out" >&2
    exit 1
fi
