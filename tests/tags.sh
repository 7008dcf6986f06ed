#!/bin/sh
# The tagged PDF as pdf.js and a screen reader see it (tests/tags.py): the
# catalog and pages say it is tagged, nothing is outside marked content,
# the structure tree and the page streams agree, the tree reads as the
# booklet does, and the roles each layout should give are there.
set -u
dir=$(dirname "$0")
if [ ! -d "$dir/js/node_modules/pdfjs-dist" ]; then
    echo "FAIL tags: pdf.js is not installed in tests/js (make deps)"
    exit 0
fi
t() {
    python3 "$dir/tags.py" "$@" || true
}
t report Document,Sect,H1,P -- samples/typography-scripts.json
t report-de Document,Sect,H1,P -- -l report-a4-de samples/names-many-scripts.json
t book Document,Part,H1,TOC,TOCI,Index,Sect,H2,P,L,LI,Lbl,LBody,Link -- \
    -l book-of-abstracts samples/indico-conference.json
t programme Document,Sect,H1,H2,P -- -l programme-a5 samples/indico-conference.json
t poster-list Document,Sect,H1,P -- -l poster-list samples/native-workshop.json
t volume Document,Part,H1,TOC,TOCI,Index,Sect,H2,P -- -l volume \
    tests/data/volume/workshop-2023.json tests/data/volume/workshop-2024.json
t formulas Document,Sect,H1,P,Formula -- -l book-of-abstracts \
    tests/data/math/formulas.json
for f in ../shared/data/indico-export-fel2022-sessions.json \
    /work/shared/data/indico-export-fel2022-sessions.json; do
    if [ -f "$f" ]; then
        t fel2022-report Document,Sect,H1,P -- "$f"
        t fel2022-book Document,Part,TOC,TOCI,Index,Sect,H1,H2,P -- \
            -l book-of-abstracts "$f"
        break
    fi
done
