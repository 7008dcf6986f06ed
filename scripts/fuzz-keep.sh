#!/bin/sh
# fuzz-keep.sh TARGET [MAX_BYTES] - after `make fuzz`, keeps what the run
# found in the committed corpus tests/fuzz/corpus/TARGET, which `make check`
# replays: libFuzzer's merge adds, from build-fuzz/corpus-TARGET, only the
# inputs that reach code the committed ones do not, smallest first. Inputs
# longer than MAX_BYTES (default 4096) are left out, so that the replay
# stays quick under valgrind. Crashers (build-fuzz/crash-TARGET-*) are not
# touched: copy each by hand, named for what it found, once it is fixed.
set -eu
t=$1
max=${2:-4096}
bin=build-fuzz/fuzz_$t
[ -x "$bin" ] || {
    echo "fuzz-keep: $bin is not built (make fuzz FUZZ_TARGETS=$t)" >&2
    exit 1
}
small=$(mktemp -d)
trap 'rm -rf "$small"' EXIT INT TERM
find "build-fuzz/corpus-$t" -type f -size -"$((max + 1))"c \
    -exec cp {} "$small/" \;
mkdir -p "tests/fuzz/corpus/$t"
before=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
ASAN_OPTIONS=detect_leaks=0 "$bin" -merge=1 -timeout=30 -rss_limit_mb=4096 \
    "tests/fuzz/corpus/$t" "$small" >"$small.log" 2>&1 || {
    tail -n 20 "$small.log" >&2
    rm -f "$small.log"
    exit 1
}
rm -f "$small.log"
after=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
echo "tests/fuzz/corpus/$t: $before -> $after inputs" \
    "($(du -sk "tests/fuzz/corpus/$t" | cut -f1) KB)"
