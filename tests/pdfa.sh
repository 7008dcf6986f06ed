#!/bin/sh
# PDF/A-1b as an archive's validator sees it: Apache PDFBox's preflight
# (Debian's libpdfbox2-java, under Java) must find every file made with
# --pdfa 1b valid, with no failing clause: each shipped RGB layout on the
# layout fixture, every sample, a preface with images (an alpha channel,
# a JPEG, a palette, 16 bits), the math fixture, and FEL2022 when it is
# there. One PASS/FAIL line per file. Where Java or PDFBox is missing the
# checks are not run, and one FAIL line says so (make deps installs them).
set -u
dir=$(dirname "$0")
bin=${CB_BIN:-build/contribook}
jars=/usr/share/java
cp=""
for j in preflight pdfbox2 fontbox2 xmpbox commons-logging javax.activation \
    jaxb-api; do
    cp="$cp${cp:+:}$jars/$j.jar"
done
if ! command -v java >/dev/null 2>&1 || [ ! -f "$jars/preflight.jar" ]; then
    echo "FAIL pdfa: Java or PDFBox preflight is missing (make deps)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
v() { # NAME ARGS...: renders with --pdfa 1b and validates
    name=$1
    shift
    n=$((n + 1))
    if ! ${CB_RUN:-} "$bin" -q --pdfa 1b "$@" -o "$tmp/$n.pdf" 2>"$tmp/err"; then
        echo "FAIL pdfa/$name: contribook failed: $(head -c 300 "$tmp/err")"
        return
    fi
    out=$(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp" \
        org.apache.pdfbox.preflight.Validator_A1b \
        "$tmp/$n.pdf" 2>&1)
    if echo "$out" | grep -q "is a valid PDF/A-1b file"; then
        echo "PASS pdfa/$name"
    else
        echo "FAIL pdfa/$name: $(echo "$out" | sed -n 2,4p | tr '\n' ' ' |
            cut -c1-400)"
    fi
}
for l in report-a4 report-letter report-a4-de programme-a5 poster-list \
    book-of-abstracts timetable timetable-a5 volume; do
    v "layout-$l" -l "$l" samples/indico-conference.json
done
for f in samples/*.json; do
    v "sample-$(basename "$f" .json)" "$f"
done
v figures -l tests/data/images/figures.yaml samples/indico-conference.json
v formulas -l book-of-abstracts tests/data/math/formulas.json
v booklet --impose booklet -l programme-a5 samples/indico-conference.json
for f in ../shared/data/indico-export-fel2022-sessions.json \
    /work/shared/data/indico-export-fel2022-sessions.json; do
    if [ -f "$f" ]; then
        v fel2022-book -l book-of-abstracts "$f"
        break
    fi
done
