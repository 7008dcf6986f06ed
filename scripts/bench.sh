#!/bin/sh
# Measures pages per CPU-second, peak memory and PDF kilobytes per page for
# a few input sizes, then the cost of hostile input at two sizes.
# Usage: bench.sh BINARY. Each input runs 3 times; the least CPU time
# (user + system, the stable figure on a shared machine) is shown.
set -eu
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# measure CMD...: runs CMD 3 times; sets cpu (least CPU seconds of the
# process and its children: user + system), wall (the wall seconds of that
# run) and mem (peak resident KiB)
measure() {
    cpu=""
    wall=""
    mem=0
    for _ in 1 2 3; do
        /usr/bin/time -f '%U %S %M %e' -o "$tmp/time" "$@" || true
        read -r user sys kb secs_wall <"$tmp/time"
        secs=$(echo "$user + $sys" | bc)
        if [ -z "$cpu" ] || [ "$(echo "$secs < $cpu" | bc)" = 1 ]; then
            cpu=$secs
            wall=$secs_wall
        fi
        if [ "$kb" -gt "$mem" ]; then mem=$kb; fi
    done
}

# run FILE ARGS...: measures the binary on FILE, writing $tmp/out.pdf; on
# one thread (-j 1) unless ARGS say otherwise: CPU time is the figure
run() {
    f=$1
    shift
    measure env SOURCE_DATE_EPOCH=0 "$bin" -q -j 1 "$@" "$f" -o "$tmp/out.pdf"
}

echo '{"count":1,"results":[{"title":"Empty event","contributions":[]}]}' \
    >"$tmp/empty.json"
# generated inputs in mixed scripts (scripts/gen-bench.py); 20,000
# contributions show whether cost and memory stay linear and flat
$PY scripts/gen-bench.py 1000 >"$tmp/gen-1000.json"
$PY scripts/gen-bench.py 2000 >"$tmp/gen-2000.json"
$PY scripts/gen-bench.py 20000 >"$tmp/gen-20000.json"
inputs="$tmp/empty.json"
for f in ../shared/data/indico-export-fel2022-sessions.json; do
    [ -f "$f" ] && inputs="$inputs $f"
    [ -f "$f" ] && cp "$f" "$tmp/fel2022-book.json" &&
        inputs="$inputs $tmp/fel2022-book.json"
done
inputs="$inputs $tmp/gen-1000.json $tmp/gen-20000.json"

printf '%-36s %8s %6s %7s %7s %10s %9s %8s\n' input contribs pages cpu-s \
    wall-s pages/cpu-s peak-MiB KB/page
# the book layout sets contents and indexes in a second pass over the body
cp "$tmp/gen-2000.json" "$tmp/gen-2000-book.json"
inputs="$inputs $tmp/gen-2000-book.json"
# both cores: the PDF writer on a second thread (--jobs 2)
cp "$tmp/gen-1000.json" "$tmp/gen-1000-j2.json"
inputs="$inputs $tmp/gen-1000-j2.json"
for f in $inputs; do
    case "$f" in
    *-book.json) run "$f" --layout book-of-abstracts ;;
    *-j2.json) run "$f" -j 2 ;;
    *) run "$f" ;;
    esac
    pages=$(pdfinfo "$tmp/out.pdf" | awk '/^Pages:/ {print $2}')
    size=$(wc -c <"$tmp/out.pdf")
    contribs=$($PY -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(sum(len(e.get("contributions") or [])+sum(len(s.get("contributions") or []) for s in e.get("sessions") or []) for e in d["results"]))' "$f")
    rate=$(echo "scale=0; $pages / ($cpu + 0.001)" | bc)
    printf '%-36s %8s %6s %7s %7s %10s %9s %8s\n' "$(basename "$f")" \
        "$contribs" "$pages" "$cpu" "$wall" "$rate" \
        "$(echo "scale=1; $mem / 1024" | bc)" \
        "$(echo "scale=1; $size / 1024 / $pages" | bc)"
    case "$f" in
    *-j2.json) both="$(echo "scale=2; $wall / $cpu" | bc)" ;;
    esac
done
echo "both cores (gen-1000 -j 2): wall / CPU = $both"

# Hostile input at 1 MB and 4 MB (the classes of tests/cli/hostile-input.test):
# a cost linear in the input grows about 4 times; a quadratic one, 16.
echo
printf '%-28s %9s %9s %9s %9s %7s\n' hostile-class cpu-1MB MiB-1MB \
    cpu-4MB MiB-4MB growth
hostile() {
    name=$1
    expr=$2
    layout=$3
    for scale in 1 4; do
        $PY tests/hostile-gen.py "$tmp/h.json" "$(echo "$expr" |
            sed "s/N/$scale/g")"
        run "$tmp/h.json" -l "$layout"
        eval "cpu$scale=\$cpu mem$scale=\$mem"
    done
    # shellcheck disable=SC2154
    printf '%-28s %9s %9s %9s %9s %7s\n' "$name" "$cpu1" \
        "$(echo "scale=1; $mem1 / 1024" | bc)" "$cpu4" \
        "$(echo "scale=1; $mem4 / 1024" | bc)" \
        "$(echo "scale=1; $cpu4 / ($cpu1 + 0.01)" | bc)"
}
hostile word-in-title "title='x' * 1000000 * N" report-a4
hostile word-in-name "author.last_name='x' * 1000000 * N" book-of-abstracts
hostile entity-bomb "description='&amp;' * 200000 * N" report-a4
hostile marks-on-one-letter "description='a' + '\\u0301' * 500000 * N" report-a4
hostile han-without-spaces "description='中文' * 170000 * N" report-a4
hostile lines "description=('line' + chr(10)) * 200000 * N" report-a4
hostile spaces "description='a' + ' ' * 1000000 * N + 'b'" report-a4
hostile emphasis "description='*a **b _c ' * 100000 * N" report-a4
hostile event-title "event.title='Event ' * 170000 * N" book-of-abstracts
hostile formula-openers "description=(chr(92) + '( ') * 330000 * N" report-a4
hostile formulas "description=(chr(36) + 'x_i^2' + chr(36) + ' ') * 125000 * N" \
    book-of-abstracts

# Peers (make bench PEERS=1, scripts/peers/): the same 1,000 contributions
# as a Report of Contributions by an Indico-style xelatex pipeline, by
# WeasyPrint and by Typst, side by side with contribook in this run; the
# ratio is the peer's CPU seconds over contribook's.
[ "${PEERS:-}" = 1 ] || exit 0
peers=scripts/peers
sh "$peers/install.sh"
echo
printf '%-22s %6s %7s %7s %10s %9s %7s\n' tool pages cpu-s wall-s \
    pages/cpu-s peak-MiB ratio
base=""
peer() {
    name=$1
    pdf=$2
    shift 2
    rm -f "$pdf"
    measure "$@" >/dev/null 2>&1
    if [ ! -s "$pdf" ]; then
        printf '%-22s did not run (see scripts/peers/)\n' "$name"
        return
    fi
    pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
    [ -n "$base" ] || base=$cpu
    printf '%-22s %6s %7s %7s %10s %9s %7s\n' "$name" "$pages" "$cpu" \
        "$wall" "$(echo "scale=0; $pages / ($cpu + 0.001)" | bc)" \
        "$(echo "scale=1; $mem / 1024" | bc)" \
        "$(echo "scale=1; $cpu / $base" | bc)"
}
in1k="$tmp/gen-1000.json"
peer contribook "$tmp/out.pdf" env SOURCE_DATE_EPOCH=0 "$bin" -q -j 1 "$in1k" \
    -o "$tmp/out.pdf"
mkdir -p "$tmp/tex"
command -v xelatex >/dev/null &&
    peer "xelatex (Indico-style)" "$tmp/tex/report.pdf" \
        $PY "$peers/report-tex.py" "$in1k" "$tmp/tex"
$PY -c 'import weasyprint' 2>/dev/null &&
    peer "WeasyPrint" "$tmp/weasy.pdf" \
        $PY "$peers/report-html.py" "$in1k" "$tmp/weasy.pdf"
[ -d "$peers/node_modules/@myriaddreamin" ] &&
    peer "Typst (npm)" "$tmp/typst.pdf" \
        node "$peers/typst.mjs" "$in1k" "$tmp/typst.pdf"
exit 0
