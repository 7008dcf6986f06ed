#!/bin/sh
# fuzz.sh TARGET SECONDS DATADIR CFLAGS LIBS - builds the libFuzzer target tests/fuzz/fuzz_TARGET.c
# with clang (ASan + UBSan) and runs it for SECONDS on its corpus,
# build-fuzz/corpus-TARGET, seeded from tests/fuzz/corpus/TARGET and the
# project's own samples. A crash stops the run with its input saved as
# build-fuzz/crash-TARGET-*: copy it to tests/fuzz/corpus/TARGET/ (named for
# what it found) once fixed, so that `make check` replays it for good;
# scripts/fuzz-keep.sh TARGET keeps the new coverage of small inputs there.
# Each run appends "DATE TARGET RUNS SECONDS CPU-SECONDS" to
# build-fuzz/runs.txt: the fuzzing done so far, per target (CPU seconds are
# the figure that counts on a shared machine).
set -eu
t=$1
secs=$2
datadir=$3
cflags=$4
libs=$5
out=build-fuzz
mkdir -p "$out/corpus-$t"
cp tests/fuzz/corpus/"$t"/* "$out/corpus-$t/" 2>/dev/null || true
case $t in
ingest) cp samples/*.json tests/data/ingest/*.json tests/data/ingest/*.csv "$out/corpus-$t/" 2>/dev/null || true ;;
pipeline)
    # the first byte picks the layout
    for f in samples/*.json tests/data/ingest/*.json; do
        [ -f "$f" ] || continue
        { printf 'a'; cat "$f"; } >"$out/corpus-$t/seed-$(basename "$f")"
    done ;;
layout) cp layouts/*.yaml tests/data/cli/layouts/*.yaml "$out/corpus-$t/" 2>/dev/null || true ;;
esac
# shellcheck disable=SC2086
clang -std=c11 -D_XOPEN_SOURCE=700 -g -O1 -Iinclude -Isrc $cflags \
    -DCB_DATADIR="\"$datadir\"" \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -o "$out/fuzz_$t" "tests/fuzz/fuzz_$t.c" \
    $(ls src/*.c | grep -v 'src/main.c') $libs
log="$out/log-$t.txt"
rc=0
ASAN_OPTIONS=detect_leaks=1 /usr/bin/time -f '%U %S' -o "$out/time-$t" \
    "$out/fuzz_$t" -max_total_time="$secs" \
    -max_len=65536 -timeout=30 -rss_limit_mb=4096 \
    -artifact_prefix="$out/crash-$t-" "$out/corpus-$t" >"$log" 2>&1 || rc=$?
runs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $2, $5}')
[ -n "$runs" ] || runs="$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#') $secs"
cpu=$(awk 'END { printf "%.0f", $1 + $2 }' "$out/time-$t" 2>/dev/null || echo '?')
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $t $runs $cpu" >>"$out/runs.txt"
tail -n 3 "$log"
if [ $rc -ne 0 ]; then
    echo "fuzz_$t stopped (exit $rc): see $log and $out/crash-$t-*"
    exit $rc
fi
