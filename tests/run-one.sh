#!/bin/sh
# run-one.sh PARTS N KIND PATH - one job of tests/run.sh: a unit-test
# binary ("unit"), a test script ("script") or one spec file of cli.sh
# ("cli"), its PASS/FAIL lines written to PARTS/N (numbered so the log
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
script) sh "$path" >"$out" 2>&1 ;;
cli) sh "$(dirname "$0")/cli.sh" "$path" >"$out" 2>&1 ;;
esac
exit 0
