#!/bin/sh
# The Book of Abstracts: contents, index, page labels and links
# (tests/book.py).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0
for f in samples/indico-conference.json tests/data/book/*.json; do
    python3 "$(dirname "$0")/book.py" "$CB_BIN" "$f" "$tmp" || status=1
done
exit $status
