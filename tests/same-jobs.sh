#!/bin/sh
# same-jobs.sh BINARY ARGS... - runs `BINARY ARGS... -o FILE` with --jobs 1,
# 2 and 8 and fails unless the three files are the same bytes and every
# run was silent (a thread sanitizer's report would not be). Each file has
# the same name, in a folder of its own: a print layout's slug line shows
# it. A helper of tests/cli/jobs.test.
set -u
bin=$1
shift
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
for j in 1 2 8; do
    mkdir "$d/$j"
    if ! SOURCE_DATE_EPOCH=1700000000 "$bin" -q -j "$j" "$@" \
        -o "$d/$j/out.pdf" 2>"$d/$j.err"; then
        echo "--jobs $j failed:" >&2
        cat "$d/$j.err" >&2
        exit 1
    fi
    if [ -s "$d/$j.err" ]; then
        echo "--jobs $j said:" >&2
        cat "$d/$j.err" >&2
        exit 1
    fi
done
cmp "$d/1/out.pdf" "$d/2/out.pdf" && cmp "$d/1/out.pdf" "$d/8/out.pdf"
