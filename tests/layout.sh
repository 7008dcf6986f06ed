#!/bin/sh
# Layout tests: display-list goldens. Each tests/layout/NAME.json is
# rendered with --dump and compared with its goldens (fonts, positions,
# text of every item on every page, bookmarks, page labels):
#
#   NAME.dump           with the default layout
#   NAME--LAYOUT.dump   with --layout LAYOUT: a file
#                       tests/layout/layouts/LAYOUT.yaml, else a shipped one
#
# Every shipped layout must have a golden of the conference fixture
# (conference--LAYOUT.dump), so that a change to any part of the composer
# shows up as a diff. After an intended change, look at the PDFs, then
# regenerate with: CB_UPDATE=1 sh tests/layout.sh
set -u
CB_BIN=${CB_BIN:-build/contribook}
CB_RUN=${CB_RUN:-}
dir=$(dirname "$0")/layout
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# check GOLDEN: renders the golden's input with its layout and compares
check() {
    golden=$1
    case=$(basename "$golden" .dump)
    name=${case%%--*}
    layout=""
    [ "$name" != "$case" ] && layout=${case#*--}
    if [ -n "$layout" ] && [ -f "$dir/layouts/$layout.yaml" ]; then
        layout="$dir/layouts/$layout.yaml"
    fi
    # shellcheck disable=SC2086
    if ! SOURCE_DATE_EPOCH=1700000000 $CB_RUN "$CB_BIN" -q \
            ${layout:+--layout "$layout"} "$dir/$name.json" \
            --dump "$tmp/$case.dump" 2>"$tmp/err"; then
        echo "FAIL layout $case: contribook failed: $(head -3 "$tmp/err")"
        return
    fi
    if [ "${CB_UPDATE:-0}" = 1 ]; then
        cp "$tmp/$case.dump" "$golden"
    fi
    if [ ! -f "$golden" ]; then
        echo "FAIL layout $case: no golden (make it with CB_UPDATE=1)"
    elif cmp -s "$tmp/$case.dump" "$golden"; then
        echo "PASS layout $case"
    else
        echo "FAIL layout $case: display list differs:"
        diff "$golden" "$tmp/$case.dump" | head -20
    fi
}

goldens=$(ls "$dir"/*.dump)
for json in "$dir"/*.json; do
    name=$(basename "$json" .json)
    found=0
    for g in "$dir/$name.dump" "$dir/$name--"*.dump; do
        [ -f "$g" ] && found=1
    done
    [ $found = 1 ] ||
        echo "FAIL layout $name: no golden (make one: touch $dir/$name.dump; CB_UPDATE=1 sh tests/layout.sh)"
done
for l in "$dir"/../../layouts/*.yaml; do
    g="$dir/conference--$(basename "$l" .yaml).dump"
    case " $(echo $goldens) " in
    *" $g "*) ;;
    *) goldens="$goldens $g" ;;
    esac
done
for g in $goldens; do
    check "$g"
done
