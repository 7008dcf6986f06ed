#!/bin/sh
# Installs the benchmark's peers, only when `make bench PEERS=1` asks:
# xelatex (Debian's TeX Live, as Indico's pipeline needs), WeasyPrint
# (Debian's), and Typst's compiler from npm (package-lock.json pins it)
# into scripts/peers/node_modules. None of them is part of contribook.
set -eu
here=$(dirname "$0")
pkgs="texlive-xetex texlive-latex-recommended lmodern weasyprint fonts-noto-core"
missing=""
for p in $pkgs; do
    case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "peers: missing Debian packages:$missing (as root: apt-get install$missing)" >&2
    else
        echo "installing (benchmark peers):$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing </dev/null
    fi
fi
if [ ! -d "$here/node_modules/@myriaddreamin/typst-ts-node-compiler" ]; then
    echo "installing (benchmark peers): Typst's compiler (npm)"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) ||
        echo "peers: npm ci in scripts/peers failed: Typst is left out" >&2
fi
exit 0
