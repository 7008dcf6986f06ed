#!/bin/sh
# fonts.sh - the fonts shipped in fonts/ make the output independent of the
# machine's fonts.
#
#   fonts/no-system-fonts/NAME  a booklet in Latin, Greek and Cyrillic (and
#                               the real FEL2022 export, when it is there)
#                               is byte-identical with the system's fonts
#                               and with none at all (FONTCONFIG_FILE names
#                               an empty configuration), and says nothing
#                               more on standard error
#   fonts/embedded              only bundled faces are embedded in it
#   fonts/installed             `make install` (into a scratch DESTDIR)
#                               installs them, and the installed program
#                               finds them with no system font
#   fonts/missing               without the folder, contribook warns that
#                               the output depends on the system's fonts
#   fonts/sources               fonts/SOURCES lists every font with its
#                               Debian package and a SHA-256 that matches
#
# Needs CB_BIN; CB_RUN is a command prefix such as valgrind.
set -u
CB_BIN=${CB_BIN:-build/contribook}
CB_RUN=${CB_RUN:-}
export SOURCE_DATE_EPOCH=1700000000 LC_ALL=C
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cb-fonts.XXXXXX") || exit 0
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
printf '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n' >"$tmp/empty.conf"

# render NAME INPUT OPTION [ENV...]: $tmp/NAME.pdf and $tmp/NAME.err
render() {
    name=$1 input=$2 option=$3
    shift 3
    # shellcheck disable=SC2086
    env -u CONTRIBOOK_FONTS "$@" $CB_RUN "$CB_BIN" $option "$input" \
        -o "$tmp/$name.pdf" 2>"$tmp/$name.err"
}

# The Latin, Greek and Cyrillic booklet.
cat >"$tmp/lgc.json" <<'EOF'
{"contribook": 1, "events": [{"title": "Σεμινάριο – Семинар – Seminar", "start": "2025-03-10",
  "contributions": [
  {"id": "1", "title": "Ηλεκτρονική διάγνωση δέσμης",
   "abstract": "Μετρήσεις της εκπομπής με **νέες** μεθόδους; *το πλάτος* ≈ 3 µm.\n\n- ένα\n- δύο",
   "authors": [{"first": "Ελένη", "last": "Παπαδοπούλου", "affiliation": "ΕΚΠΑ"}]},
  {"id": "2", "title": "Диагностика электронного пучка",
   "abstract": "Измерения эмиттанса, `код` и [ссылка](https://example.org/ё).",
   "authors": [{"first": "Ёлка", "last": "Щербакова", "affiliation": "ОИЯИ, Дубна"}]},
  {"id": "3", "title": "Kabátová, Šťastný, Ørsted, Đặng",
   "abstract": "Naïve façade, œuvre, ß; “quotes” – dashes — and … ellipses.",
   "authors": [{"first": "Veronika", "last": "Kabátová", "affiliation": "Univerzita Karlova"},
               {"first": "Jan", "last": "Lübbe"}]}]}]}
EOF

# check_same NAME INPUT OPTION: the same PDF and the same messages with
# the system's fonts and with none; contribook's fonts found both times
check_same() {
    if ! render "$1-sys" "$2" "$3" || ! render "$1-none" "$2" "$3" \
            FONTCONFIG_FILE="$tmp/empty.conf"; then
        echo "FAIL fonts/no-system-fonts/$1: render failed: $(head -c 300 "$tmp/$1-none.err")"
    elif ! cmp -s "$tmp/$1-sys.pdf" "$tmp/$1-none.pdf"; then
        echo "FAIL fonts/no-system-fonts/$1: the PDFs differ"
    elif ! cmp -s "$tmp/$1-sys.err" "$tmp/$1-none.err" ||
        grep -q "fonts are not installed" "$tmp/$1-sys.err"; then
        echo "FAIL fonts/no-system-fonts/$1: stderr: $(head -c 300 "$tmp/$1-none.err")"
    else
        echo "PASS fonts/no-system-fonts/$1"
    fi
}
# --werror: any warning (a missing bundle, a missing glyph) fails
check_same lgc "$tmp/lgc.json" --werror
for f in ../shared/data/indico-export-fel2022-sessions.json \
    /work/shared/data/indico-export-fel2022-sessions.json; do
    if [ -f "$f" ]; then
        check_same fel2022 "$f" ""
        break
    fi
done

# Only bundled faces: every font pdffonts lists has a file in fonts/.
if ! command -v pdffonts >/dev/null 2>&1; then
    echo "FAIL fonts/embedded: pdffonts is not installed (poppler-utils)"
else
    bad="" n=0
    for ps in $(pdffonts "$tmp/lgc-sys.pdf" 2>/dev/null | tail -n +3 |
        awk '{sub(/^[A-Z]+\+/, "", $1); sub(/,.*/, "", $1); print $1}'); do
        n=$((n + 1))
        [ -f "fonts/$ps.ttf" ] || bad="$bad $ps"
    done
    if [ "$n" -lt 3 ] || [ -n "$bad" ]; then
        echo "FAIL fonts/embedded: $n fonts; not from fonts/:$bad"
    else
        echo "PASS fonts/embedded ($n fonts)"
    fi
fi

# make install puts the fonts where the installed program finds them. The
# program under test is installed as it is (-o: never rebuilt here, which
# would lose a sanitizer build's flags).
build=$(dirname "$CB_BIN")
if make -s install -o "$CB_BIN" BUILD="$build" DESTDIR="$tmp/dest" \
        PREFIX=/opt/cb >"$tmp/install.log" 2>&1; then
    inst="$tmp/dest/opt/cb/bin/contribook"
    # shellcheck disable=SC2086
    env -u CONTRIBOOK_FONTS FONTCONFIG_FILE="$tmp/empty.conf" $CB_RUN \
        "$inst" --werror "$tmp/lgc.json" \
        -o "$tmp/inst.pdf" 2>"$tmp/inst.err"
    if cmp -s "$tmp/inst.pdf" "$tmp/lgc-sys.pdf" && [ ! -s "$tmp/inst.err" ]; then
        echo "PASS fonts/installed"
    else
        echo "FAIL fonts/installed: $(head -c 300 "$tmp/inst.err")"
    fi
else
    echo "FAIL fonts/installed: make install failed: $(head -c 300 "$tmp/install.log")"
fi

# Without the folder (a copy of the program with nothing beside it; skipped
# where an installation in the compiled-in data folder would be found). On
# a machine with no font at all it then cannot set the text: exit 4.
mkdir -p "$tmp/bare/bin"
cp "$CB_BIN" "$tmp/bare/bin/contribook"
installed=""
for d in /usr/local/share/contribook/fonts /usr/share/contribook/fonts; do
    [ -f "$d/fonts.conf" ] && installed=$d
done
if [ -n "$installed" ]; then
    echo "PASS fonts/missing (skipped: $installed is installed)"
else
    # shellcheck disable=SC2086
    env -u CONTRIBOOK_FONTS CONTRIBOOK_LAYOUTS="$PWD/layouts" $CB_RUN \
        "$tmp/bare/bin/contribook" "$tmp/lgc.json" -o "$tmp/bare.pdf" \
        2>"$tmp/bare.err"
    rc=$?
    if grep -q "warning: contribook's fonts are not installed" "$tmp/bare.err" &&
        { [ $rc = 0 ] && [ -s "$tmp/bare.pdf" ] || [ $rc = 4 ]; }; then
        echo "PASS fonts/missing"
    else
        echo "FAIL fonts/missing: exit $rc: $(head -c 300 "$tmp/bare.err")"
    fi
fi

# SOURCES: every .ttf listed, with a package and the right checksum.
problems=""
for ttf in fonts/*.ttf; do
    file=$(basename "$ttf")
    line=$(grep "^$file	" fonts/SOURCES)
    sum=$(sha256sum "$ttf" | cut -d' ' -f1)
    case "$line" in
    *"	fonts-noto-"*"	$sum") ;;
    *"	fonts-dejavu-extra	"*"	$sum") ;;
    *) problems="$problems $file" ;;
    esac
done
if [ -n "$problems" ] || [ ! -s fonts/OFL.txt ] ||
    ! grep -q "SIL Open Font License" fonts/OFL.txt ||
    ! grep -q "Bitstream" fonts/LICENSE-DejaVu.txt; then
    echo "FAIL fonts/sources:$problems (or a licence missing)"
else
    echo "PASS fonts/sources"
fi
