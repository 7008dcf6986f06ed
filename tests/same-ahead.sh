#!/bin/sh
# same-ahead.sh BINARY PLACED ARGS... - runs `BINARY -j 1 ARGS... -o FILE`
# as it is and with CB_AHEAD_TEST=1, under which every contribution is
# set by the second composer of src/compose_ahead.c and placed by the
# first (or let go and set by it), and fails unless both give the same
# bytes, say the same and exit the same, and the second says it placed
# PLACED contributions ("-": none was set ahead at all). A helper of
# tests/cli/jobs.test: it takes the path the writer's thread takes with
# --jobs 2, whatever the threads happen to do.
set -u
bin=$1
placed=$2
shift 2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
SOURCE_DATE_EPOCH=1700000000 "$bin" -j 1 "$@" -o "$d/a.pdf" >"$d/a.out" 2>&1
echo "exit $?" >>"$d/a.out"
CB_AHEAD_TEST=1 SOURCE_DATE_EPOCH=1700000000 "$bin" -j 1 "$@" -o "$d/b.pdf" \
    >"$d/b.all" 2>&1
echo "exit $?" >>"$d/b.all"
grep -v '^ahead: ' "$d/b.all" >"$d/b.out"
said=$(grep '^ahead: ' "$d/b.all" | sed 's/^ahead: \([0-9]*\) placed.*/\1/')
if ! cmp -s "$d/a.out" "$d/b.out"; then
    echo "set ahead, it said something else:" >&2
    diff "$d/a.out" "$d/b.out" >&2
    exit 1
fi
if [ -f "$d/a.pdf" ] && ! cmp "$d/a.pdf" "$d/b.pdf"; then
    exit 1
fi
if [ "${said:--}" != "$placed" ]; then
    echo "placed ${said:-none set ahead}, not $placed:" >&2
    grep '^ahead: ' "$d/b.all" >&2
    exit 1
fi
