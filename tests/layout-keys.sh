#!/bin/sh
# Every layout key changes the output as documented (tests/layout-keys.py).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 "$(dirname "$0")/layout-keys.py" "$CB_BIN" "$tmp"
