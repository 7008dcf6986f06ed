#!/usr/bin/env python3
"""readers.py - what three PDF readers give back of a contribook PDF.

    python3 tests/readers.py [--table] [--check NAME] [--readers LIST]
                             [--] CONTRIBOOK-ARGS...

Runs contribook with CONTRIBOOK-ARGS twice, once for the PDF and once with
--dump for the display list (what was drawn, run by run), and reads the PDF
with poppler (pdftotext), MuPDF (mutool draw -F txt) and pdf.js
(getTextContent() under node, tests/js/pdftext.mjs).

Two measures, per reader:
- strays and losses, page by page: the characters a reader gives back
  that were not drawn (U+FFFD, a "2" before a name), and those drawn that
  it does not give back; whitespace aside, both sides NFC, format
  characters (bidi controls, joiners) not counted as drawn. Control and
  private-use characters in a reader's text are counted on their own.
- exact strings: every title, paragraph (from the display list's blocks)
  and person name and affiliation (from the input), searched in the
  reader's text with whitespace runs as one space and no whitespace
  between two East Asian wide characters (a line break there is not a
  space), grouped by script.

--table prints the per-script table (script x reader: found/total for
names, affiliations, titles and paragraphs) and the stray counts. --check
NAME prints PASS/FAIL lines (readers/NAME/READER/...) for tests/run.sh:
a reader fails when it has a stray, a loss or a string not found.
"""
import argparse
import collections
import json
import os
import re
import sys
import unicodedata

from cbtest import RUN, Report, run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("CB_BIN", os.path.join(ROOT, "build", "contribook"))
# right-to-left text that a reader cannot give back exactly, whatever the
# PDF (issue #10 shows what was tried): measured and shown by --table, not
# failed by --check; everything else in these scripts is checked
# - poppler: ", " and ". " between two right-to-left words come back as
#   " ," and " ." (pdftotext's reordering takes Latin-1 punctuation and the
#   space for left-to-right text and keeps them in visual order), so names
#   ("LAST, First") and sentences; titles and affiliations are exact
# - MuPDF 1.21: gives glyphs in stream order, with no bidi and no
#   /ActualText, so letters drawn in visual order come back reversed
# - pdf.js: applies bidi per text item and starts a new item, without a
#   space, wherever the pen moves back: word spaces are lost
RTL_SCRIPTS = ("Arabic", "Hebrew")
EXCUSED = {("poppler", s, k) for s in RTL_SCRIPTS
           for k in ("names", "paragraphs")} | \
          {(r, s, k) for r in ("mupdf", "pdfjs") for s in RTL_SCRIPTS
           for k in ("names", "affiliations", "titles", "paragraphs")}
READERS = ("poppler", "mupdf", "pdfjs")
SCRIPTS = ("Latin", "Greek", "Cyrillic", "Vietnamese", "Chinese",
           "Japanese", "Korean", "Arabic", "Hebrew", "Devanagari")
VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}
DUMP_TEXT = re.compile(r'^\s+text at=\S+ font=\S+ size=\S+(?: color=\S+)? '
                       r'"((?:[^"\\]|\\.)*)"(?: actual="((?:[^"\\]|\\.)*)")?(?: rtl)?( artifact)?$')
# a hyphen that ends a line: contribook's hyphenation draws one, poppler
# takes it away (and joins the word), MuPDF and pdf.js keep it; compared
# without it on both sides, as are all hyphens in the character counts
LINE_END_HYPHEN = re.compile(r"-[ \t]*\n\s*")
# around a glyph of a formula in an expected text: readers put spaces where
# a formula has its own gaps (around a relation, "ℓ ≠ 0"), or do not
MATH = "\x00"
# characters pdf.js replaces by their compatibility forms by design (its
# normalizeUnicode: the micro sign by mu, no-break spaces by spaces,
# presentation forms by letters); its text is compared after the same
PDFJS_COMPAT = re.compile("[\u00a0\u00b5\u037e\u0eb3\u2000-\u200a\u202f"
                          "\u2126\ufb00-\ufdff\ufe70-\ufeff]")
FOLIO = re.compile(r"^(\d+|[ivxlcdm]+)$")
LIST_MARKER = re.compile(r"^(\d+\.|[\u2022\u2013\u25e6])$")
DUMP_BLOCK = re.compile(r"^\s+block (\S+) id=(\d+)")


def reader_text(reader, pdf):
    """The reader's text, page by page."""
    if reader == "poppler":
        cmd = ["pdftotext", "-enc", "UTF-8", pdf, "-"]
    elif reader == "mupdf":
        cmd = ["mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf]
    else:
        cmd = ["node", os.path.join(ROOT, "tests", "js", "pdftext.mjs"), pdf]
    try:
        rc, out, err = run(cmd)
    except FileNotFoundError:
        sys.exit("readers.py: %s is not installed (make deps installs it)" %
                 cmd[0])
    if rc != 0:
        sys.exit("readers.py: %s failed (%d): %s" % (cmd[0], rc, err[:300]))
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def unquote(s):
    return s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def read_dump(path):
    """The display list: the drawn text of each page (a list of run
    texts), the text drawn outside blocks on each page (running heads,
    footers, the id line), and each block's (role, text), its lines joined
    by "\n", a formula's glyphs between MATH marks."""
    pages, furniture, blocks, block, last_y = [], [], {}, None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("page "):
                pages.append([])
                furniture.append([])
                block, last_y = None, None
                continue
            m = DUMP_BLOCK.match(line)
            if m:
                block = int(m.group(2))
                blocks.setdefault(block, [m.group(1), []])
                continue
            m = DUMP_TEXT.match(line)
            if not m or not pages:
                continue
            # what the run stands for: its ActualText when it has one
            text = unquote(m.group(2) if m.group(2) is not None
                           else m.group(1))
            y = line.split("at=")[1].split()[0].split(",")[1]
            # a run on a new baseline starts a new line
            pages[-1].append(text if y == last_y else "\n" + text)
            last_y = y
            if block is None or m.group(3):
                furniture[-1].append(text)
                continue
            at = line.split("at=")[1].split()[0].split(",")
            size = float(line.split("size=")[1].split()[0])
            if "Math" in line.split("font=")[1].split()[0]:
                text = MATH + text + MATH
            blocks[block][1].append((float(at[0]), float(at[1]), size, text,
                                     line.rstrip().endswith("rtl")))
    return pages, furniture, {k: (role, block_text(runs, role == "LI"))
                              for k, (role, runs) in blocks.items()}


def block_text(runs, item=False):
    """A block's runs as lines: a new line where the baseline moves by more
    than most of the text size (a script or a fraction does not); in a
    left-to-right line, runs in the order of their places (a list item's
    number is drawn after its text), right-to-left ones as drawn (in
    reading order)."""
    lines = []
    for i, (x, y, size, text, rtl) in enumerate(runs):
        if not lines or abs(y - lines[-1][0]) > 0.75 * size:
            lines.append([y, []])
        lines[-1][1].append((x, i, text, rtl))
    if item and lines and LIST_MARKER.match(lines[0][1][0][2]):
        # a list item's marker, drawn first, a gap before its text
        x, i, text, rtl = lines[0][1][0]
        lines[0][1][0] = (x, i, text + " ", rtl)
    out = []
    for _, line in lines:
        if not any(r[3] for r in line):
            line = sorted(line, key=lambda r: r[0])
        # runs apart in the drawing order (a list item's number and its
        # text) are apart on the line too
        out.append("".join((" " if k and line[k - 1][1] != i - 1 else "") +
                           text for k, (_, i, text, _) in enumerate(line)))
    return "\n".join(out)


def pdfjs_compat(s):
    return PDFJS_COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()),
                            s)


def without(page, furniture):
    """A page's text without its running head and footer, so that a
    paragraph that goes on over the page reads on: lines that are a piece
    of furniture go, then the first occurrence of each longer piece (pdf.js
    puts a head and a footer on one line); a folio ("7", "xii") goes only
    as a line of its own, never from inside the text."""
    def spaced(t):
        return re.sub(r"[ \t]+", " ", unicodedata.normalize("NFC", t))

    pieces = [p for p in (spaced(f).strip() for f in furniture) if p]
    lines = spaced(page).split("\n")
    left = []
    for f in pieces:  # the first line that is this piece and nothing else
        at = next((k for k, line in enumerate(lines)
                   if line.strip() == f), None)
        if at is None:
            left.append(f)
        else:
            lines[at] = ""
    text = "\n".join(lines)
    for f in sorted(left, key=len, reverse=True):
        if not FOLIO.match(f):
            text = text.replace(f, "", 1)
    return text


def found_in(expected, whole, alone=False):
    """Whether expected is in whole; alone: as a name or an affiliation is
    printed, with no letter, digit or U+FFFD stuck to either end (pdf.js
    gave "2ZHANG", MuPDF "\ufffdZHANG")."""
    if alone:
        # no letter, digit or U+FFFD before it, no letter or U+FFFD after
        # it (a book prints an affiliation's number after a name: "Redlich1")
        return re.search(r"(?<![^\W_])(?<!\ufffd)%s(?![^\W\d_])(?!\ufffd)"
                         % re.escape(expected), whole) is not None
    if MATH not in expected:
        return expected in whole
    parts = [re.escape(p) for p in expected.split(MATH)]
    return re.search(" ?".join(parts), whole) is not None


def counted(ch):
    """Whether a character counts in the comparison of what was drawn with
    what a reader gives back: not whitespace, hyphens or format
    characters."""
    return not ch.isspace() and ch != "-" and \
        unicodedata.category(ch) != "Cf"


def is_wide(ch):
    return unicodedata.east_asian_width(ch) in ("W", "F")


def norm(s):
    """NFC; format characters (bidi controls, joiners, soft hyphens)
    removed; whitespace runs to one space, none between two wide
    characters; no space at the ends."""
    s = unicodedata.normalize("NFC", s)
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Cf")
    s = LINE_END_HYPHEN.sub("", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"(?<=[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-"
                  r"\ufaff\uff00-\uffef]) (?=[\u1100-\u11ff\u2e80-\ua4cf"
                  r"\uf900-\ufaff\uff00-\uffef])", "", s)


def script_of(s, context=None):
    counts = collections.Counter()
    for ch in s:
        if not ch.isalpha():
            continue
        if ch in VIETNAMESE:
            counts["Vietnamese"] += 100
            continue
        name = unicodedata.name(ch, "")
        for key, script in (("LATIN", "Latin"), ("GREEK", "Greek"),
                            ("CYRILLIC", "Cyrillic"), ("ARABIC", "Arabic"),
                            ("HEBREW", "Hebrew"),
                            ("DEVANAGARI", "Devanagari"),
                            ("HANGUL", "Korean"), ("HIRAGANA", "Japanese"),
                            ("KATAKANA", "Japanese"), ("CJK", "Chinese")):
            if name.startswith(key):
                counts[script] += 1
                break
    if not counts:
        return None
    best = counts.most_common(1)[0][0]
    if counts["Japanese"]:
        best = "Japanese"
    if best == "Chinese" and context == "Japanese":
        best = "Japanese"
    return best


def upper_simple(s):
    return "".join(ch.upper() if len(ch.upper()) == 1 else ch for ch in s)


def people_of(path):
    """(the forms a name is printed in, affiliation, title) of every
    person of the input (contribook's native format and Indico exports)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    contribs = []
    if "contributions" in data:
        contribs = data["contributions"]
    for ev in data.get("results", []):
        contribs += ev.get("contributions", [])
        for s in ev.get("sessions", []):
            contribs += s.get("contributions", [])
    out = []
    for c in contribs:
        title = c.get("title", "")
        for key in ("authors", "coauthors", "speakers", "presenters",
                    "primaryauthors", "coauthors"):
            for p in c.get(key, []) or []:
                first = (p.get("first") or p.get("first_name") or "").strip()
                last = (p.get("last") or p.get("last_name") or "").strip()
                whole = p.get("name") or p.get("fullName") or ""
                if last:
                    forms = (upper_simple(last) + (", " + first if first
                                                   else ""),
                             (first + " " + last).strip(),
                             (first + " " + upper_simple(last)).strip())
                else:
                    forms = (whole.strip(),)
                aff = p.get("affiliation") or ""
                out.append((forms, aff.strip(), title))
    return out


def render(args, pdf, dump):
    """contribook ARGS into pdf and its display list into dump; None, or
    why it failed."""
    for out in (["-o", pdf], ["--dump", dump]):
        rc, _, err = run(RUN + [BIN] + args + ["-q"] + out)
        if rc != 0:
            return "contribook %s failed: %s" % (out[0], err[:300])
    return None


def measure(args, pdf, dump, input_path):
    failed = render(args, pdf, dump)
    if failed:
        sys.exit("readers.py: " + failed)
    drawn_pages, furniture, blocks = read_dump(dump)
    expected = []  # (kind, script, text)
    for role, text in blocks.values():
        t = norm(text)
        if not t:
            continue
        kind = {"Title": "titles", "H": "titles"}.get(role, "paragraphs")
        if role in ("P", "Title", "H", "LI", "Formula"):
            expected.append((kind, script_of(t), t))
    # a person as the layout prints them ("LAST, First" or "First Last"),
    # when it prints them at all (a programme shows only presenters)
    drawn_all = norm(" ".join("".join(p) for p in drawn_pages))
    for forms, aff, title in people_of(input_path):
        ctx = script_of(title)
        name = next((norm(f) for f in forms if f and norm(f) in drawn_all),
                    None)
        if name:
            expected.append(("names", script_of(name, ctx), name))
        if aff and norm(aff) in drawn_all:
            expected.append(("affiliations", script_of(aff, ctx), norm(aff)))
    results = {}
    for reader in READERS:
        compat = reader == "pdfjs"
        pages = reader_text(reader, pdf)
        whole = norm("\n".join(
            without(p, furniture[i] if i < len(furniture) else [])
            for i, p in enumerate(pages)))
        strays = lost = 0
        odd = collections.Counter()
        examples = []
        for i, drawn in enumerate(drawn_pages):
            got = pages[i] if i < len(pages) else ""
            drawn_text = unicodedata.normalize("NFC", "".join(drawn))
            if compat:
                drawn_text = pdfjs_compat(drawn_text)
            want = collections.Counter(ch for ch in drawn_text if counted(ch))
            have = collections.Counter(
                ch for ch in unicodedata.normalize("NFC", got)
                if counted(ch))
            extra, missing = have - want, want - have
            strays += sum(extra.values())
            lost += sum(missing.values())
            if (extra or missing) and len(examples) < 3:
                examples.append("page %d: extra %r missing %r" % (
                    i + 1, "".join(sorted(extra.elements()))[:40],
                    "".join(sorted(missing.elements()))[:40]))
            for ch in got:
                cat = unicodedata.category(ch)
                if ch == "\ufffd" or cat in ("Co", "Cs") or \
                        (cat == "Cc" and ch not in "\n\r\t\f"):
                    odd[ch] += 1
        found = collections.defaultdict(lambda: [0, 0])
        misses = []
        for kind, script, text in expected:
            cell = found[(script, kind)]
            cell[1] += 1
            if found_in(pdfjs_compat(text) if compat else text, whole,
                        kind in ("names", "affiliations")):
                cell[0] += 1
            elif len(misses) < 5 and (reader, script, kind) not in EXCUSED:
                misses.append("%s %r" % (kind, text[:60]))
        results[reader] = dict(strays=strays, lost=lost, odd=odd,
                               examples=examples, found=found, misses=misses,
                               pages=len(pages), drawn=len(drawn_pages))
    return results


def table(results):
    kinds = ("names", "affiliations", "titles", "paragraphs")
    print("%-11s %-8s %s" % ("script", "reader",
                             " ".join("%13s" % k for k in kinds)))
    scripts = [s for s in SCRIPTS if any(
        (s, k) in results[r]["found"] for r in READERS for k in kinds)]
    for script in scripts:
        for reader in READERS:
            cells = []
            for kind in kinds:
                f, n = results[reader]["found"].get((script, kind), (0, 0))
                cells.append("%13s" % ("%d/%d" % (f, n) if n else "-"))
            print("%-11s %-8s %s" % (script, reader, " ".join(cells)))
    for reader in READERS:
        r = results[reader]
        print("%-8s strays %d, lost %d, control/private-use/U+FFFD %d%s" % (
            reader, r["strays"], r["lost"], sum(r["odd"].values()),
            "" if r["pages"] == r["drawn"] else
            " (pages: %d of %d)" % (r["pages"], r["drawn"])))
        for e in r["examples"]:
            print("    " + e)
        for m in r["misses"]:
            print("    not found: " + m)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--check")
    ap.add_argument("--work", default=os.environ.get("TMPDIR", "/tmp"))
    ap.add_argument("args", nargs=argparse.REMAINDER)
    o = ap.parse_args()
    args = [a for a in o.args if a != "--"]
    inputs = [a for a in args if a.endswith(".json") or a.endswith(".csv")]
    tag = "readers-%d" % os.getpid()
    pdf = os.path.join(o.work, tag + ".pdf")
    dump = os.path.join(o.work, tag + ".txt")
    try:
        results = measure(args, pdf, dump, inputs[0])
    finally:
        for p in (pdf, dump):
            if os.path.exists(p):
                os.remove(p)
    if o.table:
        table(results)
    if o.check:
        rep = Report("readers/" + o.check)
        for reader in READERS:
            r = results[reader]
            problems = []
            if r["strays"] or r["lost"]:
                problems.append("%d stray and %d lost characters (%s)" % (
                    r["strays"], r["lost"], "; ".join(r["examples"])))
            if r["odd"]:
                problems.append("control, private-use or U+FFFD: %r" %
                                dict(r["odd"].most_common(5)))
            missing = sum(n - f for (script, kind), (f, n) in r["found"].items()
                          if (reader, script, kind) not in EXCUSED)
            if missing:
                problems.append("%d strings not found: %s" % (
                    missing, "; ".join(r["misses"])))
            rep(reader, problems)
        return 1 if rep.failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
