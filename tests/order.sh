#!/bin/sh
# Time order in the programme (tests/order.py): our fixtures, the samples
# and, when it is there, the real FEL2022 export.
set -u
fel=""
for f in ../shared/data/indico-export-fel2022-sessions.json \
    /work/shared/data/indico-export-fel2022-sessions.json; do
    if [ -f "$f" ]; then
        fel=$f
        break
    fi
done
# shellcheck disable=SC2086
python3 "$(dirname "$0")/order.py" "$CB_BIN" tests/data/order/*.json \
    tests/layout/conference.json samples/*.json $fel
