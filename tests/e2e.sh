#!/bin/sh
# e2e.sh - renders whole inputs and checks the PDFs as a reader would.
#
# Inputs: every samples/*.json, every tests/data/e2e/*.json and, when it is
# there, the real Indico export indico-export-fel2022-sessions.json from
# ../shared/data/ beside the project (as CI lays it out) or /work/shared/data/.
# For each input NAME it prints one line per check:
#
#   e2e/NAME/render          exit status 0 (with SOURCE_DATE_EPOCH fixed)
#   e2e/NAME/...             tests/pdfcheck.py: text, people, metadata, fonts
#   e2e/NAME/qpdf            qpdf --check passes
#   e2e/NAME/reproducible    a second run gives the same bytes
#   e2e/NAME/raster          pdftoppm -r 30 renders page 1 without a word
#   e2e/NAME/locale-fr       under LC_ALL=fr_FR.UTF-8 (decimal comma) the
#                            bytes are the same as under C; skipped (no
#                            line) when that locale cannot be had
#
# Needs CB_BIN (default build/contribook); CB_RUN is a command prefix such
# as valgrind. Runs from the project root. POSIX sh.
set -u

CB_BIN=${CB_BIN:-build/contribook}
CB_RUN=${CB_RUN:-}
EPOCH=1700000000
export LC_ALL=C
unset TZ

if [ ! -x "$CB_BIN" ]; then
    echo "FAIL e2e: $CB_BIN is not built"
    exit 0
fi
for tool in python3 pdftotext pdfinfo pdffonts pdftoppm qpdf; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "FAIL e2e: $tool is not installed (poppler-utils, qpdf, python3)"
        exit 0
    fi
done

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/cb-e2e.XXXXXX") || {
    echo "FAIL e2e: cannot create a scratch directory"
    exit 0
}
trap 'rm -rf "$SCRATCH"' EXIT
trap 'exit 130' INT TERM

# A locale with a decimal comma: installed, or compiled into the scratch
# directory when the definitions are there (Debian's "locales" package).
FR_LOCPATH=""
FR_LOCALE=""
if locale -a 2>/dev/null | grep -qix 'fr_FR\.utf-\{0,1\}8'; then
    FR_LOCALE=fr_FR.UTF-8
elif command -v localedef >/dev/null 2>&1 &&
    mkdir "$SCRATCH/locale" &&
    localedef -i fr_FR -f UTF-8 "$SCRATCH/locale/fr_FR.UTF-8" \
        >/dev/null 2>&1 &&
    [ "$(LOCPATH="$SCRATCH/locale" LC_ALL=fr_FR.UTF-8 locale decimal_point \
        2>/dev/null)" = "," ]; then
    FR_LOCALE=fr_FR.UTF-8
    FR_LOCPATH="$SCRATCH/locale"
fi

# render INPUT OUTPUT [ENV...]: runs contribook with SOURCE_DATE_EPOCH set;
# its standard error goes to OUTPUT.err.
render() {
    r_in=$1 r_pdf=$2
    shift 2
    # shellcheck disable=SC2086
    env SOURCE_DATE_EPOCH=$EPOCH "$@" $CB_RUN "$CB_BIN" -q "$r_in" \
        -o "$r_pdf" </dev/null 2>"$r_pdf.err"
}

first_lines() {
    head -n 3 "$1" | tr '\n' ' ' | cut -c 1-300
}

check_input() {
    in=$1 name=$2
    id="e2e/$name"
    dir="$SCRATCH/$name"
    mkdir -p "$dir"
    pdf="$dir/out.pdf"

    render "$in" "$pdf"
    rc=$?
    if [ $rc -ne 0 ] || [ ! -s "$pdf" ]; then
        echo "FAIL $id/render: exit status $rc: $(first_lines "$pdf.err")"
        return
    fi
    echo "PASS $id/render"

    python3 tests/pdfcheck.py --label "$name" --epoch $EPOCH "$in" "$pdf"

    if qpdf --check "$pdf" >"$dir/qpdf.out" 2>&1; then
        echo "PASS $id/qpdf"
    else
        echo "FAIL $id/qpdf: qpdf --check exited with $?:" \
            "$(grep -v -e '^checking' -e '^PDF Version' -e '^File is not' \
                "$dir/qpdf.out" | first_lines /dev/stdin)"
    fi

    render "$in" "$dir/again.pdf"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL $id/reproducible: second run exited with $rc"
    elif cmp "$pdf" "$dir/again.pdf" >"$dir/cmp.out" 2>&1; then
        echo "PASS $id/reproducible"
    else
        echo "FAIL $id/reproducible: two runs differ: $(first_lines \
            "$dir/cmp.out")"
    fi

    if pdftoppm -r 30 -f 1 -l 1 -png "$pdf" "$dir/page" \
        2>"$dir/ppm.err" && [ ! -s "$dir/ppm.err" ] &&
        [ -n "$(find "$dir" -name 'page*.png' -size +0c)" ]; then
        echo "PASS $id/raster"
    else
        echo "FAIL $id/raster: pdftoppm -r 30 on page 1:" \
            "$(first_lines "$dir/ppm.err")"
    fi

    if [ -n "$FR_LOCALE" ]; then
        if [ -n "$FR_LOCPATH" ]; then
            render "$in" "$dir/fr.pdf" LOCPATH="$FR_LOCPATH" \
                LC_ALL=$FR_LOCALE LANG=$FR_LOCALE
        else
            render "$in" "$dir/fr.pdf" LC_ALL=$FR_LOCALE LANG=$FR_LOCALE
        fi
        rc=$?
        if [ $rc -ne 0 ]; then
            echo "FAIL $id/locale-fr: exit status $rc under" \
                "LC_ALL=$FR_LOCALE: $(first_lines "$dir/fr.pdf.err")"
        elif cmp "$pdf" "$dir/fr.pdf" >"$dir/cmp.out" 2>&1; then
            echo "PASS $id/locale-fr"
        else
            echo "FAIL $id/locale-fr: LC_ALL=$FR_LOCALE changes the PDF:" \
                "$(first_lines "$dir/cmp.out")"
        fi
    fi
    rm -rf "$dir"
}

for in in samples/*.json tests/data/e2e/*.json; do
    [ -f "$in" ] || continue
    name=$(basename "$in" .json)
    case $in in
    samples/*) name="sample-$name" ;;
    esac
    check_input "$in" "$name"
done

for real in ../shared/data/indico-export-fel2022-sessions.json \
    /work/shared/data/indico-export-fel2022-sessions.json; do
    if [ -f "$real" ]; then
        check_input "$real" fel2022
        break
    fi
done
exit 0
