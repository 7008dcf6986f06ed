#!/bin/sh
# Installs the Debian packages contribook needs to build, run and test, and
# only those that are missing. Run by `make deps` (and so by `make demo` and
# `make check`). It installs only when it can: as root on Debian. Elsewhere
# it says what to install and returns 0, so that the build and the tests
# still run (a missing -dev package then stops the build with its name,
# a missing test tool fails the tests that need it, by name).
set -eu

pkgs="gcc make pkg-config
libhpdf-dev libdeflate-dev libjansson-dev libfontconfig-dev libfreetype-dev libharfbuzz-dev
libcmark-dev libxml2-dev libutf8proc-dev
libhyphen-dev hyphen-en-us hyphen-de libfribidi-dev libyaml-dev libicu-dev
libqrencode-dev libpng-dev
fonts-noto-core fonts-noto-mono fonts-dejavu-extra fonts-arphic-uming fonts-ipafont-mincho
fonts-ipafont-gothic fonts-nanum fonts-hanazono
poppler-utils qpdf mupdf-tools zbar-tools parallel valgrind cppcheck locales python3 time bc unicode-data
icc-profiles-free default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java"
# pdf.js, the third reader the tests ask, runs under Node.js: Debian's, when
# the machine has none of its own
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"

missing=""
for p in $pkgs; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done

if [ -n "$missing" ] && ! command -v dpkg-query >/dev/null 2>&1; then
    echo "contribook: not a Debian system: cannot check or install packages" >&2
    echo "contribook: the build needs (Debian names):$missing" >&2
    exit 0
fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "contribook: missing Debian packages:$missing" >&2
        echo "contribook: as root: apt-get install$missing" >&2
        exit 0
    fi
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing </dev/null
fi

# pdf.js (pdfjs-dist from npm, the version tests/js/package-lock.json pins)
# for tests/readers.py; test tooling only, never part of contribook
js=$(dirname "$0")/../tests/js
if [ ! -d "$js/node_modules/pdfjs-dist" ] && command -v npm >/dev/null 2>&1; then
    echo "installing: pdfjs-dist (npm, for the tests)"
    (cd "$js" && npm ci --no-audit --no-fund --loglevel=error) ||
        echo "contribook: npm ci in tests/js failed: the reader tests will say so" >&2
fi

# The decimal-comma test runs under fr_FR.UTF-8 (a PDF must never say 1,5).
if ! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf8$'; then
    if [ "$(id -u)" = 0 ] && [ -f /etc/locale.gen ]; then
        sed -i 's/^# *fr_FR.UTF-8 UTF-8/fr_FR.UTF-8 UTF-8/' /etc/locale.gen
        locale-gen >/dev/null 2>&1 || true
    fi
fi
exit 0
