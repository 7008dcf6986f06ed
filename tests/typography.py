#!/usr/bin/env python3
"""Checks of typesetting quality on samples/typography-scripts.json, read
back as a reader would: usage: typography.py BINARY SAMPLE.json WORKDIR.

- every abstract and name comes back from pdftotext in logical order, for
  each script (Latin, Greek, Cyrillic, Vietnamese, CJK, Arabic, Hebrew,
  Devanagari, and characters outside the BMP);
- no line is overfull (no warning about one);
- kerning moves glyphs: a title with AV/WA/To pairs is drawn with TJ
  adjustments of kerning size;
- no paragraph leaves a single line at the bottom (orphan) or top (widow)
  of a page, and no heading ends a page, in the display list.
Prints PASS/FAIL lines."""
import json
import os
import re
import subprocess
import sys
import unicodedata

from cbtest import BIDI_CONTROLS as BIDI, RUN, Report, run

BIN, SAMPLE, WORK = sys.argv[1:4]
report = Report("typography")


def spaced(ch):
    """Scripts whose words are separated by spaces pdftotext keeps."""
    return not ("\u0590" <= ch <= "\u08ff" or "\u2e80" <= ch <= "\u9fff" or
                "\uac00" <= ch <= "\ud7a3" or "\uff00" <= ch <= "\uffef" or
                ch >= "\U00020000")


def norm(s, keep_spaces):
    s = BIDI.sub("", unicodedata.normalize("NFC", s))
    return re.sub(r"\s+", " " if keep_spaces else "", s).strip()


pdf = os.path.join(WORK, "typography.pdf")
dump = os.path.join(WORK, "typography.dump")
rc, _, err = run(RUN + [BIN, SAMPLE, "-o", pdf, "--dump", dump])
report("render", [] if rc == 0 else ["exit %d: %s" % (rc, err[:300])])
if rc != 0:
    sys.exit(1)

# no overfull lines
bad = [ln for ln in err.splitlines()
       if "too long for the line" in ln or "runs into the margin" in ln]
report("no-overfull-lines", ["%d overfull: %s" % (len(bad), bad[0])] if bad
       else [])

# text per contribution, default pdftotext mode (which rejoins hyphens)
def strip_furniture(page):
    """A page's text without its running head and footer."""
    out, skip = [], 0
    for ln in page.split("\n"):
        if skip and ln.strip():
            skip = 0
            if ln.endswith("\u2026") or ln.strip() in titles:
                continue
        if "/ Report of Contributions" in ln:
            skip = 1
            continue
        if re.fullmatch(r"Page \d+|\d+ November 2023", ln.strip()):
            continue
        out.append(ln)
    return "\n".join(out)


titles = {k["title"] for k in json.load(open(SAMPLE, encoding="utf-8"))
          ["contributions"]}
rc, text, _ = run(["pdftotext", "-enc", "UTF-8", pdf, "-"])
# bidi marks pdftotext adds around runs go; a URL broken after one of its
# separators joins again (contribook breaks URLs only there)
text = re.sub(r"([/?&=#_])\n(?=\S)", r"\1", BIDI.sub("", text))
pages = [strip_furniture(p) for p in text.split("\f")]
data = json.load(open(SAMPLE, encoding="utf-8"))
for k in data["contributions"]:
    mine = [p for p in pages
            if "Contribution ID: %s\n" % k["id"] in p + "\n"]
    start = pages.index(mine[0]) if mine else None
    body = ""
    if start is not None:
        for p in pages[start:]:
            if p is not mine[0] and "Contribution ID:" in p:
                break
            body += p + "\n"
    problems = []
    abstract = k["abstract"].replace("\n\n", " ")
    keep = all(spaced(ch) for ch in abstract)
    if norm(abstract, keep) not in norm(body, keep):
        problems.append("abstract not found exactly (%s)" %
                        ("spaces kept" if keep else "spaces ignored"))
    for p in k.get("authors", []):
        last = "".join(c.upper() if len(c.upper()) == 1 else c
                       for c in p["last"])
        name = "%s, %s" % (last, p["first"])
        keep = all(spaced(ch) for ch in name)
        if norm(name, keep) not in norm(body, keep):
            problems.append("name %r not found" % name)
    script = unicodedata.name(k["title"][0], "?").split()[0]
    report("extract-%s-%s" % (k["id"], script.lower()), problems)

# kerning: the title of contribution 1 (centred, so any large TJ adjustment
# comes from kerning, not justification) is drawn with kerning adjustments
qdf = os.path.join(WORK, "typography.qdf")
subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, qdf],
               check=False)
content = open(qdf, "rb").read().decode("latin-1")
adjust = []
for m in re.finditer(r"/F\w+ 16 Tf\n(.*?)(?=/F\w+ [\d.]+ Tf|ET)", content,
                     re.S):
    adjust += [abs(float(n)) for n in
               re.findall(r"[>)] (-?[\d.]+) [<(]", m.group(1))]
report("kerning-moves-glyphs",
       [] if adjust and max(adjust) >= 20 else
       ["largest adjustment in 16 pt titles is %s thousandths of an em" %
        (max(adjust) if adjust else "none")])

# widows, orphans and headings, from the display list's blocks: the sample
# and a generated event whose paragraphs of 1 to 9 lines cross many pages


def blocks(dump_path):
    lines, role, order = {}, {}, []
    page, current = 0, None
    for ln in open(dump_path, encoding="utf-8"):
        if ln.startswith("page "):
            page, current = int(ln.split()[1]), None
        m = re.match(r"  block (\S+) id=(\d+)", ln)
        if m:
            current = int(m.group(2))
            role[current] = m.group(1)
            order.append((page, current))
            continue
        m = re.match(r"  text at=[\d.]+,([\d.]+) ", ln)
        if m and current is not None:
            lines.setdefault(current, {}).setdefault(page, set()).add(
                m.group(1))
    return lines, role, order


words = ("beam undulator radiation electron phase space emittance measured "
         "with a novel diagnostic at high repetition rate and compared "
         "against simulation results from several codes").split()
paras = []
for i in range(80):
    n = 12 + (i * 37) % 110
    paras.append(" ".join(words[(i + j * 7) % len(words)] for j in range(n))
                 .capitalize() + ".")
    if i % 13 == 5:
        paras.append("## Heading %d" % i)
gen = os.path.join(WORK, "pages.json")
json.dump({"contribook": 1, "event": {"title": "Pages"}, "contributions": [
    {"id": "1", "title": "Many paragraphs", "abstract": "\n\n".join(paras)}]},
    open(gen, "w"))
gen_dump = os.path.join(WORK, "pages.dump")
run(RUN + [BIN, "-q", gen, "--dump", gen_dump])

problems = []
split = 0
for path in (dump, gen_dump):
    lines, role, order = blocks(path)
    name = os.path.basename(path)
    for b, per_page in lines.items():
        if role[b] not in ("P", "LI") or len(per_page) < 2:
            continue
        split += 1
        counts = [len(per_page[p]) for p in sorted(per_page)]
        if counts[0] < 2:
            problems.append("%s: block %d leaves an orphan %s" %
                            (name, b, counts))
        if counts[-1] < 2:
            problems.append("%s: block %d leaves a widow %s" %
                            (name, b, counts))
    for i, (pg, b) in enumerate(order):
        if role[b] in ("H", "Group0", "Group1", "Part") and (i + 1 == len(order) or order[i + 1][0] != pg):
            problems.append("%s: heading block %d ends page %d" %
                            (name, b, pg))
if split < 5:
    problems.append("only %d paragraphs cross a page: the check saw too "
                    "little" % split)
report("widows-and-orphans (%d paragraphs cross pages)" % split, problems)
report.exit()
