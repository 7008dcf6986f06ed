#!/bin/sh
# The Book of Abstracts: contents, index, page labels and links
# (tests/book.py).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 "$(dirname "$0")/book.py" "$CB_BIN" samples/indico-conference.json "$tmp"
