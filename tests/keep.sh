#!/bin/sh
# Entries that hold together on full pages (tests/keep.py): our fixtures,
# the samples and, when it is there, the real FEL2022 export, also with
# its abstracts taken out (short entries).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fel=""
for f in ../shared/data/indico-export-fel2022-sessions.json \
    /work/shared/data/indico-export-fel2022-sessions.json; do
    if [ -f "$f" ]; then
        python3 - "$f" "$tmp/fel-without-abstracts.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for ev in d["results"]:
    for s in ev.get("sessions", []):
        for k in s.get("contributions", []):
            k["description"] = ""
    for k in ev.get("contributions", []):
        k["description"] = ""
json.dump(d, open(sys.argv[2], "w"))
PY
        fel="$f $tmp/fel-without-abstracts.json"
        break
    fi
done
# shellcheck disable=SC2086
python3 "$(dirname "$0")/keep.py" "$CB_BIN" tests/data/keep/*.json \
    samples/*.json $fel
