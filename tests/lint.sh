#!/bin/sh
# The static checks of `make lint` (cppcheck), as part of the suite.
set -u
if ! command -v cppcheck >/dev/null 2>&1; then
    echo "FAIL lint/cppcheck: cppcheck is not installed (make deps)"
    exit 1
fi
if out=$(cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
    --std=c11 -Iinclude src tests/unit 2>&1); then
    echo "PASS lint/cppcheck"
else
    echo "FAIL lint/cppcheck: $(echo "$out" | head -c 600)"
    exit 1
fi
