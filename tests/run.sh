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
PYBIN=$(mktemp -d)
PARTS=$(mktemp -d)
trap 'rm -f "$LOG"; rm -rf "$PYBIN" "$PARTS"' EXIT INT TERM

# The tests use only Python's standard library: Debian's python3 (a
# dependency) starts in 50 ms, where a pyenv shim first on PATH takes half
# a second, and the suite starts Python hundreds of times.
if [ -x /usr/bin/python3 ]; then
    ln -s /usr/bin/python3 "$PYBIN/python3"
    PATH=$PYBIN:$PATH
    export PATH
fi

if [ "${CB_VALGRIND:-0}" = 1 ]; then
    export CB_RUN="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(cd "$TESTS" && pwd)/valgrind.supp"
else
    export CB_RUN=""
fi

# The scripts (and each spec file of cli.sh) run as separate jobs, as
# many at once as there are processors (CB_JOBS to choose): each has its
# own scratch folder, and the suite's wall time is its longest job's, not
# the sum.
JOBS=${CB_JOBS:-$(nproc 2>/dev/null || echo 1)}
{
    for t in "$BUILD"/test_*; do
        [ -x "$t" ] && echo "unit $t"
    done
    for s in layout layout-keys e2e typography book fonts pathological pages order keep readers tags pdfa lint; do
        [ -f "$TESTS/$s.sh" ] && echo "script $TESTS/$s.sh"
    done
    for spec in "$TESTS"/cli/*.test; do
        echo "cli $spec"
    done
    for corpus in "$TESTS"/fuzz/corpus/*/; do
        [ -d "$corpus" ] && echo "replay $corpus"
    done
} | awk '{ print NR, $0 }' |
    xargs -P "$JOBS" -L 1 sh "$TESTS/run-one.sh" "$PARTS"
for part in "$PARTS"/*; do
    [ -f "$part" ] && cat "$part" >>"$LOG"
done

grep -E "^(PASS|FAIL)" "$LOG" | grep -v "^PASS" ; grep -vE "^(PASS|FAIL)" "$LOG" | head -50
passed=$(grep -c "^PASS" "$LOG")
failed=$(grep -c "^FAIL" "$LOG")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
