#!/bin/sh
# Pages as a reader sees them (tests/pages.py): no word off the page, none
# drawn over another, in every shipped layout and in layouts that stress
# columns and running heads (tests/data/pages/).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
d=tests/data/pages
set --
for l in layouts/*.yaml; do
    set -- "$@" tests/layout/conference.json "$l"
done
python3 "$(dirname "$0")/pages.py" "$CB_BIN" "$tmp" "$@" \
    $d/columns.json $d/two-columns.yaml \
    $d/columns.json $d/three-columns-a5.yaml \
    samples/indico-conference.json $d/long-heads.yaml \
    samples/typography-scripts.json report-a4
