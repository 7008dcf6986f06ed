#!/bin/sh
# run-one.sh PARTS N KIND PATH - one job of tests/run.sh: a unit-test
# binary ("unit"), a test script ("script"), one spec file of cli.sh
# ("cli") or one fuzz corpus folder, replayed through its target
# ("replay"), its PASS/FAIL lines written to PARTS/N (numbered so the log
# keeps the suite's order).
set -u
parts=$1 n=$2 kind=$3 path=$4
out=$(printf '%s/%04d' "$parts" "$n")
case $kind in
unit)
    # shellcheck disable=SC2086
    $CB_RUN "$path" >"$out" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && ! grep -q "^FAIL" "$out"; then
        echo "FAIL $(basename "$path"): exited with $rc" >>"$out"
    fi ;;
script|cli)
    # a script or spec that dies (a Python traceback) before saying FAIL
    # must not pass by printing fewer lines
    if [ "$kind" = script ]; then
        sh "$path" >"$out" 2>&1
    else
        sh "$(dirname "$0")/cli.sh" "$path" >"$out" 2>&1
    fi
    rc=$?
    if [ $rc -ne 0 ] && ! grep -q "^FAIL" "$out"; then
        echo "FAIL $(basename "$path"): exited with $rc" >>"$out"
    fi ;;
replay)
    # every input of the corpus, crashers included, through the target: no
    # crash, no sanitizer report, no leak, no hang (10 minutes for all)
    target=$(basename "$path")
    log=$(mktemp)
    # shellcheck disable=SC2086
    timeout 600 $CB_RUN "$CB_BUILD/replay_$target" "$path"* >/dev/null 2>"$log"
    rc=$?
    n=$(grep -c '^replay ' "$log")
    if [ $rc -eq 0 ]; then
        echo "PASS fuzz corpus $target: $n inputs replayed" >"$out"
    else
        echo "FAIL fuzz corpus $target: exit $rc on $(grep '^replay ' "$log" |
            tail -n 1 | cut -c8-)" >"$out"
        grep -v '^replay ' "$log" | head -n 30 >>"$out"
    fi
    rm -f "$log" ;;
esac
exit 0
