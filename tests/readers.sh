#!/bin/sh
# What poppler, MuPDF and pdf.js give back (tests/readers.py): no stray,
# lost, control or private-use character in any of them, and every title,
# paragraph, name and affiliation found exactly, in the samples' scripts
# and, when it is there, the real FEL2022 export.
set -u
dir=$(dirname "$0")
if [ ! -d "$dir/js/node_modules/pdfjs-dist" ]; then
    echo "FAIL readers: pdf.js is not installed in tests/js (make deps)"
    exit 0
fi
for sample in samples/typography-scripts.json samples/names-many-scripts.json
do
    for layout in report-a4 book-of-abstracts programme-a5; do
        name=$(basename "$sample" .json)-$layout
        python3 "$dir/readers.py" --check "$name" -- -l "$layout" "$sample" ||
            true
    done
done
for f in ../shared/data/indico-export-fel2022-sessions.json \
    /work/shared/data/indico-export-fel2022-sessions.json; do
    if [ -f "$f" ]; then
        for layout in report-a4 book-of-abstracts; do
            python3 "$dir/readers.py" --check "fel2022-$layout" -- \
                -l "$layout" "$f" || true
        done
        break
    fi
done
