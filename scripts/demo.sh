#!/bin/sh
# Renders every sample into OUTDIR with the default layout, and the
# Indico-style sample and the real export (../shared, when it is there)
# with every shipped layout and every sample layout (samples/*/*.yaml: an
# organizer's own, with its logo), and the pocket programme imposed for
# saddle stitching. Usage: demo.sh BINARY OUTDIR
set -eu
bin=$1
out=$2
mkdir -p "$out"
status=0
render() { # INPUT NAME [LAYOUT [OPTION...]]
    input=$1 name=$2 layout=${3:-}
    shift 2
    [ $# -gt 0 ] && shift
    if "$bin" -q ${layout:+--layout "$layout"} "$@" "$input" -o "$out/$name.pdf"; then
        pages=$(pdfinfo "$out/$2.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
        echo "  $out/$name.pdf (${pages:-?} pages)"
    else
        echo "  $input${layout:+ with $layout}: failed" >&2
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
    for l in samples/*/*.yaml; do
        render "$f" "$(basename "$f" .json)--$(basename "$(dirname "$l")")" "$l"
    done
    render "$f" "$(basename "$f" .json)--programme-a5-booklet" programme-a5 \
        --impose booklet
done
exit $status
