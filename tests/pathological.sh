#!/bin/sh
# Pathological inputs, each under a time bound (as cmark's
# pathological_tests.py): they must finish, never crash, and either render
# or fail with a message. Prints PASS/FAIL lines for tests/run.sh.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
LIMIT=${CB_PATHOLOGICAL_SECONDS:-60}

# event NAME DESCRIPTION-PYTHON-EXPRESSION: one contribution with that text
event() {
    python3 - "$tmp/$1.json" "$2" <<'PY'
import json, sys
desc = eval(sys.argv[2])
json.dump({"count": 1, "results": [{"title": "Pathological", "contributions": [
    {"id": "1", "title": "T", "description": desc, "speakers": [],
     "primaryauthors": [], "coauthors": []}]}]}, open(sys.argv[1], "w"))
PY
}

# check NAME EXPECTED-EXIT: renders tmp/NAME.json within the time bound
check() {
    # shellcheck disable=SC2086
    timeout "$LIMIT" $CB_RUN "$CB_BIN" -q "$tmp/$1.json" -o "$tmp/$1.pdf" \
        2>"$tmp/$1.err"
    rc=$?
    if [ $rc -eq 124 ]; then
        echo "FAIL pathological/$1: did not finish in ${LIMIT}s"
    elif [ $rc -ne "$2" ]; then
        echo "FAIL pathological/$1: exit $rc, expected $2: $(head -c 300 "$tmp/$1.err")"
    elif [ "$2" -eq 0 ] && ! qpdf --check "$tmp/$1.pdf" >/dev/null 2>&1; then
        echo "FAIL pathological/$1: qpdf --check fails"
    else
        echo "PASS pathological/$1"
    fi
}

event nested-lists '"".join("  " * i + "- level %d\n" % i for i in range(2000))'
check nested-lists 0
event nested-quotes '">" * 5000 + " deep"'
check nested-quotes 0
event long-word '"x" * 200000'
check long-word 0
event many-breaks '"a\n" * 50000'
check many-breaks 0
event emphasis-storm '"*a **b " * 20000'
check emphasis-storm 0
event html-soup '"<div><p><b><i>" * 3000 + "text" + "</i></b>" * 10'
check html-soup 0
event huge-paragraph '" ".join("word%d" % (i % 500) for i in range(300000))'
check huge-paragraph 0

# deeply nested JSON: jansson refuses it with a message
python3 -c 'print("[" * 100000 + "]" * 100000)' >"$tmp/deep-json.json"
check deep-json 1
