#!/bin/sh
# Copies the fonts contribook ships in fonts/ from Debian's packages, and
# records where each came from (fonts/SOURCES: file, package, version,
# SHA-256) and the licence they are under (fonts/OFL.txt, from the
# package's copyright file). Run it to refresh the fonts after Debian
# updates them: the packages must be installed (as root: apt-get install
# fonts-noto-core fonts-noto-mono fonts-dejavu-extra). The fallback order
# (fonts/fonts.conf)
# is written by hand, not by this script.
#
# Usage: sh scripts/update-fonts.sh [FOLDER]   (default: fonts)
set -eu
cd "$(dirname "$0")/.."
out=${1:-fonts}

# package:file. The three default families in every style a layout can ask
# for; then the faces a character they lack falls back to first, for the
# scripts and symbols of real abstracts: Hebrew, Arabic and Devanagari in a
# serif and a sans design, mathematics (∼ ≤ ∞ → 𝜇) and symbols (Ⅰ ①).
# CJK faces are large (15-20 MB each) and stay with the system.
fonts="
fonts-noto-core:NotoSerif-Regular.ttf
fonts-noto-core:NotoSerif-Bold.ttf
fonts-noto-core:NotoSerif-Italic.ttf
fonts-noto-core:NotoSerif-BoldItalic.ttf
fonts-noto-core:NotoSans-Regular.ttf
fonts-noto-core:NotoSans-Bold.ttf
fonts-noto-core:NotoSans-Italic.ttf
fonts-noto-core:NotoSans-BoldItalic.ttf
fonts-noto-mono:NotoSansMono-Regular.ttf
fonts-noto-mono:NotoSansMono-Bold.ttf
fonts-noto-core:NotoSerifHebrew-Regular.ttf
fonts-noto-core:NotoSerifHebrew-Bold.ttf
fonts-noto-core:NotoSansHebrew-Regular.ttf
fonts-noto-core:NotoSansHebrew-Bold.ttf
fonts-noto-core:NotoNaskhArabic-Regular.ttf
fonts-noto-core:NotoNaskhArabic-Bold.ttf
fonts-noto-core:NotoSansArabic-Regular.ttf
fonts-noto-core:NotoSansArabic-Bold.ttf
fonts-noto-core:NotoSerifDevanagari-Regular.ttf
fonts-noto-core:NotoSerifDevanagari-Bold.ttf
fonts-noto-core:NotoSansDevanagari-Regular.ttf
fonts-noto-core:NotoSansDevanagari-Bold.ttf
fonts-noto-core:NotoSansMath-Regular.ttf
fonts-noto-core:NotoSansSymbols-Regular.ttf
fonts-dejavu-extra:DejaVuMathTeXGyre.ttf
"

mkdir -p "$out"
sources=$(mktemp)
trap 'rm -f "$sources"' EXIT INT TERM
printf '# file\tpackage\tversion\tsha256 (written by scripts/update-fonts.sh)\n' \
    >"$sources"
for entry in $fonts; do
    pkg=${entry%%:*}
    file=${entry#*:}
    path=$(dpkg -L "$pkg" 2>/dev/null | grep "/$file\$" | head -n 1) || true
    if [ -z "$path" ] || [ ! -f "$path" ]; then
        echo "update-fonts: $file not found: is $pkg installed?" >&2
        exit 1
    fi
    cp "$path" "$out/$file"
    version=$(dpkg-query -W -f='${Version}' "$pkg")
    sum=$(sha256sum "$out/$file" | cut -d' ' -f1)
    printf '%s\t%s\t%s\t%s\n' "$file" "$pkg" "$version" "$sum" >>"$sources"
done
cp "$sources" "$out/SOURCES"
chmod 644 "$out/SOURCES"

# The licence: the OFL-1.1 stanza of Debian's copyright file (DEP-5: one
# space of indent, " ." for an empty line), with the copyright it grants.
copyright=/usr/share/doc/fonts-noto-core/copyright
{
    echo "The fonts in this folder are Noto fonts, copied from Debian's"
    echo "fonts-noto-core and fonts-noto-mono packages (see SOURCES):"
    echo
    echo "Copyright 2010, 2012-2020 Google Inc."
    echo "Copyright 2015-2020 Google LLC."
    echo
    echo "This Font Software is licensed under the SIL Open Font License,"
    echo "Version 1.1. This license is copied below, and is also available"
    echo "with a FAQ at: https://openfontlicense.org"
    echo
    # the stand-alone stanza: the "License: OFL-1.1" line with text under it
    awk '/^License: OFL-1.1$/ { head = 1; next }
         head && /^ / { body = 1 }
         body && /^ / { line = substr($0, 2); print (line == "." ? "" : line); next }
         body { exit }
         { head = 0 }' "$copyright"
} >"$out/OFL.txt"
# The formulas' font: DejaVu Math TeX Gyre, the one TrueType font Debian
# has with an OpenType MATH table (Debian's Noto Sans Math has none), under
# the DejaVu (Bitstream Vera) licence
{
    echo "DejaVuMathTeXGyre.ttf is from Debian's fonts-dejavu-extra package"
    echo "(see SOURCES), under this licence:"
    echo
    awk '/^Files: \*$/ { files = 1; next }
         files && /^Copyright: / { print substr($0, 12); next }
         files && /^License: / { body = 1; next }
         body && /^ / { line = substr($0, 2); print (line == "." ? "" : line); next }
         body { exit }
         files && /^ / { print substr($0, 2) }' \
        /usr/share/doc/fonts-dejavu-extra/copyright
} >"$out/LICENSE-DejaVu.txt"
echo "update-fonts: $(grep -vc '^#' "$out/SOURCES") fonts in $out/"
