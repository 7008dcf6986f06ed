#!/bin/sh
# Renders every sample into OUTDIR (and the real Indico export from
# ../shared when it is there). Usage: demo.sh BINARY OUTDIR
set -eu
bin=$1
out=$2
mkdir -p "$out"
status=0
render() {
    name=$(basename "$1" .json)
    if "$bin" -q "$1" -o "$out/$name.pdf"; then
        pages=$(pdfinfo "$out/$name.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
        echo "  $out/$name.pdf (${pages:-?} pages)"
    else
        echo "  $1: failed" >&2
        status=1
    fi
}
echo "rendering samples into $out/:"
for f in samples/*.json; do
    render "$f"
done
for f in ../shared/data/*.json; do
    [ -f "$f" ] && render "$f"
done
exit $status
