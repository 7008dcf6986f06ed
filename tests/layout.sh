#!/bin/sh
# Layout tests: each tests/layout/NAME.json is rendered with --dump and its
# display list compared with tests/layout/NAME.dump (fonts, positions, text
# of every item on every page). After an intended layout change, look at
# the PDFs, then regenerate with: CB_UPDATE=1 sh tests/layout.sh
set -u
dir=$(dirname "$0")/layout
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
for json in "$dir"/*.json; do
    name=$(basename "$json" .json)
    # shellcheck disable=SC2086
    if ! SOURCE_DATE_EPOCH=1700000000 $CB_RUN "$CB_BIN" -q "$json" \
            --dump "$tmp/$name.dump" 2>"$tmp/err"; then
        echo "FAIL layout $name: contribook failed: $(head -3 "$tmp/err")"
        continue
    fi
    if [ "${CB_UPDATE:-0}" = 1 ]; then
        cp "$tmp/$name.dump" "$dir/$name.dump"
    fi
    if cmp -s "$tmp/$name.dump" "$dir/$name.dump"; then
        echo "PASS layout $name"
    else
        echo "FAIL layout $name: display list differs:"
        diff "$dir/$name.dump" "$tmp/$name.dump" | head -20
    fi
done
