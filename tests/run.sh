#!/bin/sh
# Runs the whole suite against the binaries in build directory $1 and prints
# one line per check ("PASS name" / "FAIL name: why"), then the summary line
# "N passed, N failed". With CB_VALGRIND=1 every program runs under valgrind.
set -u
BUILD=${1:-build}
export CB_BIN="$BUILD/contribook"
export CB_BUILD="$BUILD"
TESTS=$(dirname "$0")
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT INT TERM

if [ "${CB_VALGRIND:-0}" = 1 ]; then
    export CB_RUN="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
else
    export CB_RUN=""
fi

for t in "$BUILD"/test_*; do
    [ -x "$t" ] || continue
    # shellcheck disable=SC2086
    $CB_RUN "$t" >>"$LOG" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && ! grep -q "^FAIL" "$LOG"; then
        echo "FAIL $(basename "$t"): exited with $rc" >>"$LOG"
    fi
done
for s in "$TESTS"/layout.sh "$TESTS"/layout-keys.sh "$TESTS"/cli.sh "$TESTS"/e2e.sh "$TESTS"/typography.sh "$TESTS"/book.sh "$TESTS"/fonts.sh "$TESTS"/pathological.sh; do
    [ -f "$s" ] && sh "$s" >>"$LOG" 2>&1
done

grep -E "^(PASS|FAIL)" "$LOG" | grep -v "^PASS" ; grep -vE "^(PASS|FAIL)" "$LOG" | head -50
passed=$(grep -c "^PASS" "$LOG")
failed=$(grep -c "^FAIL" "$LOG")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
