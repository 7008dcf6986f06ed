#!/bin/sh
# Checks that every library contribook is built with is installed with its
# headers, before the first compile: a missing -dev package then fails with
# its name, not with a compiler error about a header. Run by the Makefile.
# Prints nothing and exits 0 when all is there.
set -u

# pkg-config module, then the Debian package that provides it
modules="fontconfig:libfontconfig-dev freetype2:libfreetype-dev
harfbuzz:libharfbuzz-dev harfbuzz-subset:libharfbuzz-dev
jansson:libjansson-dev libcmark:libcmark-dev
libxml-2.0:libxml2-dev libutf8proc:libutf8proc-dev fribidi:libfribidi-dev
yaml-0.1:libyaml-dev icu-i18n:libicu-dev icu-uc:libicu-dev
libqrencode:libqrencode-dev libpng:libpng-dev libdeflate:libdeflate-dev"
# libharu and libhyphen have no .pc file: look for their headers
headers="hpdf.h:libhpdf-dev hyphen.h:libhyphen-dev"

missing=""
add() {
    case " $missing " in
        *" $1 "*) ;;
        *) missing="$missing $1" ;;
    esac
}

if ! command -v pkg-config >/dev/null 2>&1; then
    add pkg-config
else
    for m in $modules; do
        pkg-config --exists "${m%%:*}" 2>/dev/null || add "${m#*:}"
    done
fi
for h in $headers; do
    [ -f "/usr/include/${h%%:*}" ] || [ -f "/usr/local/include/${h%%:*}" ] ||
        add "${h#*:}"
done

[ -z "$missing" ] && exit 0
echo "contribook: cannot build: missing Debian packages:$missing" >&2
echo "contribook: install them with: apt-get install$missing" >&2
echo "contribook: (or run 'make deps' as root, which installs everything)" >&2
exit 1
