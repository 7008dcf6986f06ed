#!/bin/sh
# cli.sh - command-line behaviour of contribook, driven by spec files.
#
# Every tests/cli/*.test file holds cases. Lines before the first case and
# lines between cases are comments. A case is:
#
#   ### NAME
#   args: ARGUMENTS...        words after the binary (split at blanks)
#   stdin: FILE               optional; default /dev/null
#   setup: COMMAND            optional, repeatable: a shell command run
#                             before the case, in OUT, with $DATA, $OUT and
#                             $ROOT (the project) set; what it makes there
#                             is the case's input, which the run must leave
#                             exactly as it was (content, type, link target)
#   check: COMMAND            optional, repeatable: a shell command run
#                             after the case like setup; it must succeed
#   changes: NAME             optional, repeatable: OUT/NAME may change (an
#                             output reached through a link, say)
#   needs: root               optional: the case runs only as root (mknod)
#   small-disk: NAME          optional, repeatable: OUT/NAME is a 64 KiB
#                             tmpfs, mounted before the setup and unmounted
#                             after the case: a disk that fills up (root
#                             with mount rights; else the case is skipped)
#   timeout: SECONDS          optional; default 60 (times 20 under
#                             valgrind): a run that takes longer hangs
#   signal: SIG               optional: send SIG (TERM, INT, HUP) once a
#                             temporary file (*.tmp-*) appears in OUT, as
#                             in the middle of writing; exit is then
#                             128 + the signal's number. Runs without
#                             CB_RUN: valgrind reports what a process
#                             killed mid-run still holds as leaks
#   env: VAR=VALUE            optional, repeatable; VALUE may be empty
#                             (OUT expands as in args)
#   direct: yes               optional: run without CB_RUN (valgrind itself
#                             cannot start in the environment the case sets)
#   stdout: empty|nonempty|pdf|any|full
#                             optional; default "empty" when the expected
#                             exit status is not 0, else "any". "pdf": starts
#                             with %PDF- and passes qpdf --check. "full":
#                             standard output is /dev/full (a full disk).
#   stdout-contains: TEXT     optional: standard output contains TEXT
#   mkdir: NAME               optional, repeatable: OUT/NAME is a directory
#                             made before the run (and may stay after it)
#   existing: NAME            optional: OUT/NAME exists with known content
#                             before the run; a failing run must leave it
#                             byte-identical
#   pdf: NAME                 optional, repeatable: OUT/NAME is a valid PDF
#                             afterwards (starts with %PDF-, qpdf --check)
#   file: NAME                optional, repeatable: OUT/NAME exists, not empty
#   exit: N                   the expected exit status
#   ...                       the exact expected standard error, every line
#   ###end
#
# In args and stdin, the word INPUT_DIR stands for tests/data/cli and OUT
# (at the start of a word or after '=') for a fresh scratch directory. In
# the expected text, {DATA} stands for tests/data/cli and {OUT} for that
# directory.
#
# Besides what the case says, every case checks that no temporary file
# (*.tmp-*) is left in OUT or in its own TMPDIR, that every file the setup
# made is unchanged (but for `changes:`), that a failing case (exit status
# not 0) added nothing to OUT, and that a succeeding case added nothing
# but its `pdf:` and `file:` outputs.
#
# Prints one line per case: "PASS cli/FILE/NAME" or "FAIL cli/FILE/NAME:
# REASONS", followed by a short diff when the standard error differs.
# Needs CB_BIN (default build/contribook); CB_RUN is a command prefix such
# as valgrind. Arguments, if any, name the spec files to run (default: all
# of tests/cli/*.test). Runs from the project root.
set -u

CB_BIN=${CB_BIN:-build/contribook}
ROOT=$(pwd)
TESTS_DIR=$ROOT/tests
CB_RUN=${CB_RUN:-}
DATA=tests/data/cli
SPECS=tests/cli
export LC_ALL=C
export SOURCE_DATE_EPOCH=1700000000
unset TZ

if [ ! -x "$CB_BIN" ]; then
    echo "FAIL cli: $CB_BIN is not built"
    exit 1
fi
HAVE_QPDF=0
command -v qpdf >/dev/null 2>&1 && HAVE_QPDF=1

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/cb-cli.XXXXXX") || {
    echo "FAIL cli: cannot create a scratch directory"
    exit 1
}
# unmount_small: unmounts the case's small disks (small-disk:), if any
unmount_small() {
    for d in ${smalls:-}; do
        mountpoint -q "$SCRATCH/case/out/$d" 2>/dev/null &&
            umount "$SCRATCH/case/out/$d"
    done
}
trap 'unmount_small; rm -rf "$SCRATCH"' EXIT
trap 'exit 130' INT TERM

# The content an `existing` file is given before the run.
known_content() {
    printf 'known content of %s, not a PDF\n' "$1"
}

# expand_word WORD OUTDIR: prints WORD with INPUT_DIR and OUT replaced.
expand_word() {
    w=$1
    case $w in
    *INPUT_DIR*) w="${w%%INPUT_DIR*}$DATA${w#*INPUT_DIR}" ;;
    esac
    case $w in
    OUT | OUT/*) w="$2${w#OUT}" ;;
    *=OUT | *=OUT/*) w="${w%%=OUT*}=$2${w#*=OUT}" ;;
    esac
    printf '%s' "$w"
}

# expand_text FILE OUTDIR: replaces {DATA} and {OUT} in FILE, in place.
expand_text() {
    awk -v data="$DATA" -v out="$2" '
        function rep(s, tok, val,   i, r) {
            r = ""
            while ((i = index(s, tok)) > 0) {
                r = r substr(s, 1, i - 1) val
                s = substr(s, i + length(tok))
            }
            return r s
        }
        { print rep(rep($0, "{DATA}", data), "{OUT}", out) }' "$1" >"$1.x" &&
        mv "$1.x" "$1"
}

# is_pdf FILE: 0 when FILE starts with %PDF- and qpdf --check accepts it.
is_pdf() {
    [ -s "$1" ] || return 1
    [ "$(head -c 5 "$1")" = "%PDF-" ] || return 1
    if [ $HAVE_QPDF = 1 ]; then
        qpdf --check "$1" >/dev/null 2>&1 || return 1
    fi
    return 0
}

# snapshot DIR: one line per entry under DIR: path, type, link target,
# and a checksum for regular files.
snapshot() {
    (cd "$1" && find . ! -name . -printf '%p %y %l\n' | sort) |
        while IFS= read -r line; do
            f=${line%% *}
            case $line in
            *" f "*) printf '%s %s\n' "$line" "$(cksum <"$1/$f" | cut -d' ' -f1)" ;;
            *) printf '%s\n' "$line" ;;
            esac
        done
}

# Adds a reason to the case's list.
why() {
    if [ -z "$reasons" ]; then reasons=$1; else reasons="$reasons; $1"; fi
}

# Runs the case read so far (globals set by the parser), then unmounts
# its small disks.
run_case() {
    run_case_body
    unmount_small
}

run_case_body() {
    id="cli/$spec_base/$name"
    reasons=""
    if [ -z "$exp_exit" ]; then
        echo "FAIL $id: the spec has no 'exit:' line"
        return
    fi
    dir="$SCRATCH/case"
    rm -rf "$dir"
    out="$dir/out"
    mkdir -p "$out"
    mv "$SCRATCH/expected" "$dir/expected"
    expand_text "$dir/expected" "$out"
    for d in $mkdirs; do
        mkdir -p "$out/$d"
    done
    if [ -n "$existing" ]; then
        known_content "$existing" >"$out/$existing"
        known_content "$existing" >"$dir/existing.orig"
    fi
    if [ "$needs" = root ] && [ "$(id -u)" != 0 ]; then
        echo "SKIP $id: needs root"
        return
    fi
    for d in $smalls; do
        mkdir -p "$out/$d"
        if ! mount -t tmpfs -o size=64k,mode=1777 cb-small-disk "$out/$d" \
            2>/dev/null; then
            echo "SKIP $id: cannot mount a tmpfs (needs root with mount rights)"
            return
        fi
    done
    if [ -n "$setups" ]; then
        if ! (cd "$out" && DATA="$ROOT/$DATA" OUT="$out" ROOT="$ROOT" \
            sh -c "$setups") >"$dir/setup.log" 2>&1; then
            echo "FAIL $id: setup failed: $(head -c 300 "$dir/setup.log")"
            return
        fi
    fi
    mkdir -p "$dir/tmp"
    snapshot "$out" >"$dir/before"
    # the argument list, expanded
    set -f
    set --
    for a in $args; do
        set -- "$@" "$(expand_word "$a" "$out")"
    done
    case_envs=""
    for e in $envs; do
        case_envs="$case_envs $(expand_word "$e" "$out")"
    done
    in=/dev/null
    [ -n "$stdin" ] && in=$(expand_word "$stdin" "$out")
    stdout_file="$dir/stdout"
    if [ "$stdout_mode" = full ]; then
        if [ ! -w /dev/full ]; then
            set +f
            return # no /dev/full here: the case cannot run
        fi
        stdout_file=/dev/full
    fi
    prefix=$CB_RUN
    [ "$direct" = yes ] && prefix=""
    [ -n "$sig" ] && prefix=""
    limit=${limit:-60}
    [ -n "$prefix" ] && limit=$((limit * 20))
    if [ -n "$sig" ]; then
        # shellcheck disable=SC2086
        python3 "$TESTS_DIR/signal-run.py" "$sig" "$out" "$limit" \
            env TMPDIR="$dir/tmp" $case_envs $prefix "$CB_BIN" "$@" \
            <"$in" >"$stdout_file" 2>"$dir/stderr"
    else
        # shellcheck disable=SC2086
        timeout -k 5 "$limit" env TMPDIR="$dir/tmp" $case_envs $prefix \
            "$CB_BIN" "$@" <"$in" >"$stdout_file" 2>"$dir/stderr"
    fi
    rc=$?
    set +f
    if [ "$rc" = 124 ] && [ "$exp_exit" != 124 ]; then
        echo "FAIL $id: did not finish in ${limit}s"
        return
    fi

    [ "$rc" = "$exp_exit" ] || why "exit status $rc, expected $exp_exit"
    stderr_differs=0
    if ! cmp -s "$dir/expected" "$dir/stderr"; then
        stderr_differs=1
        why "standard error differs"
    fi
    mode=$stdout_mode
    if [ -z "$mode" ]; then
        if [ "$exp_exit" = 0 ]; then mode=any; else mode=empty; fi
    fi
    case $mode in
    empty) [ -s "$dir/stdout" ] && why "standard output is not empty" ;;
    nonempty) [ -s "$dir/stdout" ] || why "standard output is empty" ;;
    pdf) is_pdf "$dir/stdout" || why "standard output is not a valid PDF" ;;
    any | full) ;;
    *) why "unknown stdout mode '$mode'" ;;
    esac
    if [ -n "$stdout_has" ] && [ "$mode" != full ] &&
        ! grep -qF -- "$stdout_has" "$dir/stdout"; then
        why "standard output lacks '$stdout_has'"
    fi
    for f in $pdfs; do
        is_pdf "$out/$f" || why "OUT/$f is not a valid PDF"
    done
    for f in $files; do
        [ -s "$out/$f" ] || why "OUT/$f is missing or empty"
    done
    tmps=$(find "$out" -name '*.tmp-*' | sed "s|^$out|OUT|" | tr '\n' ' ' | sed 's/ $//')
    [ -n "$tmps" ] && why "temporary files left behind: $tmps"
    tmps=$(find "$dir/tmp" ! -name tmp | sed "s|^$dir/tmp|TMPDIR|" | tr '\n' ' ' | sed 's/ $//')
    [ -n "$tmps" ] && why "temporary files left in TMPDIR: $tmps"
    # each check on its own: under "set -e" a negated one ("! grep") could
    # never fail
    printf '%s\n' "$checks" | while IFS= read -r c; do
        [ -n "$c" ] || continue
        (cd "$out" && DATA="$ROOT/$DATA" OUT="$out" ROOT="$ROOT" \
            sh -c "$c") >"$dir/check.log" 2>&1 && continue
        printf '%s: %s\n' "$c" "$(tr '\n' ' ' <"$dir/check.log")" |
            head -c 200
        echo
    done >"$dir/checks-failed"
    [ -s "$dir/checks-failed" ] &&
        why "check failed: $(head -n 1 "$dir/checks-failed")"
    if [ -n "$setups" ]; then
        snapshot "$out" >"$dir/after"
        # shellcheck disable=SC2086
        if [ "$exp_exit" = 0 ]; then
            printf './%s\n' $changes $pdfs $files >"$dir/may-change"
        else
            printf './%s\n' $changes >"$dir/may-change"
        fi
        changed=$(diff "$dir/before" "$dir/after" | sed -n 's/^[<>] \([^ ]*\) .*/\1/p' |
            sort -u | grep -vxF -f "$dir/may-change" | sed 's|^\./||' |
            tr '\n' ' ' | sed 's/ $//')
        [ -n "$changed" ] && why "the run touched files it must not: $changed"
    fi
    if [ "$exp_exit" != 0 ] && [ -z "$setups" ]; then
        # shellcheck disable=SC2086
        printf '%s\n' "${existing:-/}" $mkdirs $smalls >"$dir/keep"
        left=$(cd "$out" && find . ! -name . -print | sed 's|^\./||' |
            grep -vxF -f "$dir/keep" | tr '\n' ' ' | sed 's/ $//')
        [ -n "$left" ] && why "a failing run left files in OUT: $left"
        if [ -n "$existing" ] &&
            ! cmp -s "$dir/existing.orig" "$out/$existing"; then
            why "a failing run changed the existing OUT/$existing"
        fi
    fi

    if [ -z "$reasons" ]; then
        echo "PASS $id"
    else
        echo "FAIL $id: $reasons"
        if [ $stderr_differs = 1 ]; then
            diff -u "$dir/expected" "$dir/stderr" | sed -n '3,14s/^/    /p'
        fi
    fi
}

# Parses and runs one spec file.
run_spec() {
    spec=$1
    spec_base=$(basename "$spec" .test)
    state=outside
    lineno=0
    while IFS= read -r line || [ -n "$line" ]; do
        lineno=$((lineno + 1))
        case $state in
        outside)
            case $line in
            "### "*)
                name=${line#"### "}
                args="" stdin="" envs="" stdout_mode="" stdout_has="" direct=""
                existing="" mkdirs="" pdfs="" files="" exp_exit=""
                setups="" changes="" needs="" limit="" sig="" checks=""
                smalls=""
                state=header
                ;;
            esac
            ;;
        header)
            case $line in
            "args:"*) args=${line#args:} ;;
            "stdin: "*) stdin=${line#stdin: } ;;
            "env: "*) envs="$envs ${line#env: }" ;;
            "direct: "*) direct=${line#direct: } ;;
            "setup: "*) setups="$setups
${line#setup: }" ;;
            "changes: "*) changes="$changes ${line#changes: }" ;;
            "check: "*) checks="$checks
${line#check: }" ;;
            "needs: "*) needs=${line#needs: } ;;
            "small-disk: "*) smalls="$smalls ${line#small-disk: }" ;;
            "timeout: "*) limit=${line#timeout: } ;;
            "signal: "*) sig=${line#signal: } ;;
            "stdout: "*) stdout_mode=${line#stdout: } ;;
            "stdout-contains: "*) stdout_has=${line#stdout-contains: } ;;
            "existing: "*) existing=${line#existing: } ;;
            "mkdir: "*) mkdirs="$mkdirs ${line#mkdir: }" ;;
            "pdf: "*) pdfs="$pdfs ${line#pdf: }" ;;
            "file: "*) files="$files ${line#file: }" ;;
            "exit: "*)
                exp_exit=${line#exit: }
                : >"$SCRATCH/expected"
                state=body
                ;;
            "###end")
                : >"$SCRATCH/expected"
                run_case
                state=outside
                ;;
            *)
                echo "FAIL cli/$spec_base/$name: $spec:$lineno: unknown" \
                    "line '$line'"
                state=skip
                ;;
            esac
            ;;
        body)
            if [ "$line" = "###end" ]; then
                run_case
                state=outside
            else
                printf '%s\n' "$line" >>"$SCRATCH/expected"
            fi
            ;;
        skip)
            [ "$line" = "###end" ] && state=outside
            ;;
        esac
    done <"$spec"
    if [ $state != outside ] && [ $state != skip ]; then
        echo "FAIL cli/$spec_base/$name: $spec: case has no '###end'"
    fi
}

found=0
[ $# -gt 0 ] || set -- "$SPECS"/*.test
for spec in "$@"; do
    [ -f "$spec" ] || continue
    found=1
    run_spec "$spec"
done
[ $found = 1 ] || echo "FAIL cli: no spec files in $SPECS"
exit 0
