#!/bin/sh
# Measures pages per second and peak memory for a few input sizes.
# Usage: bench.sh BINARY. Each size runs 3 times; the best time is shown.
set -eu
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo '{"count":1,"results":[{"title":"Empty event","contributions":[]}]}' \
    >"$tmp/empty.json"
python3 scripts/gen-bench.py 1000 >"$tmp/gen-1000.json"
python3 scripts/gen-bench.py 2000 >"$tmp/gen-2000.json"
inputs="$tmp/empty.json"
for f in ../shared/data/indico-export-fel2022-sessions.json; do
    [ -f "$f" ] && inputs="$inputs $f"
done
inputs="$inputs $tmp/gen-1000.json $tmp/gen-2000.json"

printf '%-40s %7s %8s %9s %9s %10s\n' input contribs pages seconds pages/s peak-MiB
# the book layout sets contents and indexes in a second pass over the body
cp "$tmp/gen-2000.json" "$tmp/gen-2000-book.json"
inputs="$inputs $tmp/gen-2000-book.json"
for f in $inputs; do
    case "$f" in
    *-book.json) layout="--layout book-of-abstracts" ;;
    *) layout="" ;;
    esac
    best=""
    mem=0
    for run in 1 2 3; do
        /usr/bin/time -f '%e %M' -o "$tmp/time" \
            env SOURCE_DATE_EPOCH=0 "$bin" -q $layout "$f" -o "$tmp/out.pdf"
        read -r secs kb <"$tmp/time"
        if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc)" = 1 ]; then
            best=$secs
        fi
        [ "$kb" -gt "$mem" ] && mem=$kb
    done
    pages=$(pdfinfo "$tmp/out.pdf" | awk '/^Pages:/ {print $2}')
    contribs=$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(sum(len(e.get("contributions") or [])+sum(len(s.get("contributions") or []) for s in e.get("sessions") or []) for e in d["results"]))' "$f")
    rate=$(echo "scale=0; $pages / ($best + 0.0001)" | bc)
    printf '%-40s %7s %8s %9s %9s %10s\n' "$(basename "$f")" "$contribs" \
        "$pages" "$best" "$rate" "$(echo "scale=1; $mem / 1024" | bc)"
done
