#!/bin/sh
# Renders every sample into OUTDIR with the default layout, and the
# Indico-style sample and the real export (../shared, when it is there)
# with every shipped layout. Usage: demo.sh BINARY OUTDIR
set -eu
bin=$1
out=$2
mkdir -p "$out"
status=0
render() { # INPUT NAME [LAYOUT]
    if "$bin" -q ${3:+--layout "$3"} "$1" -o "$out/$2.pdf"; then
        pages=$(pdfinfo "$out/$2.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
        echo "  $out/$2.pdf (${pages:-?} pages)"
    else
        echo "  $1${3:+ with $3}: failed" >&2
        status=1
    fi
}
layouts=$(ls layouts/*.yaml | sed 's|layouts/||; s|\.yaml$||')
echo "rendering samples into $out/:"
for f in samples/*.json; do
    render "$f" "$(basename "$f" .json)"
done
for f in samples/indico-conference.json ../shared/data/*.json; do
    [ -f "$f" ] || continue
    for l in $layouts; do
        render "$f" "$(basename "$f" .json)--$l" "$l"
    done
done
exit $status
