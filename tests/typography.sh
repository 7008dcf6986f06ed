#!/bin/sh
# Typesetting checks on samples/typography-scripts.json (tests/typography.py).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 "$(dirname "$0")/typography.py" "$CB_BIN" \
    samples/typography-scripts.json "$tmp"
