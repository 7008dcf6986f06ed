#!/usr/bin/env python3
"""Entries that hold together, on pages that are full: usage keep.py
BINARY INPUT.json... Sets each input in every continuous layout and reads
the display list back (--dump):

- kept: an entry's heading (title, authors, affiliations, its meta line)
  is on one page with the first lines of its text (entry.keep_lines of
  them, or all when it has fewer): the Book of Abstracts set 18 FEL2022
  titles at the foot of a page with their abstracts overleaf;
- full: an entry that starts a page (not under a group heading) would
  not have fitted below the last line of the page before: a keep rule
  that guessed the entry's height left pages 25-45 % empty.

Prints PASS/FAIL lines."""
import os
import re
import subprocess
import sys

from cbtest import ENV, RUN, Report

BIN = sys.argv[1]
report = Report("keep")

# what the shipped layouts set (layouts/*.yaml): bottom margin, the space
# from one entry's last line to the next one's first (entry.gap, with the
# space after a description or a list of people and before a title that
# comes first), lines of text kept with a heading, and the role of an
# entry's first field (the programme's and the poster list's start with a
# line of meta: time and room, board)
LAYOUTS = {
    "book-of-abstracts": (68.0, 22.0 + 10 + 4, 2, "Title"),
    "programme-a5": (17 * 72 / 25.4, 7.0 + 3, 1, "Meta"),
    "poster-list": (68.0, 12.0, 2, "Meta"),
}
HEADING = {"Title", "Authors", "Affiliation", "Meta"}
# headings of groups and parts, and inside a text
HEADINGS = {"H", "Group0", "Group1", "Part"}
PAGE = re.compile(r'^page (\d+) ')
BLOCK = re.compile(r'^  block (\S+) id=\d+$')
TEXT = re.compile(r'^  text at=([\d.]+),([\d.]+) font=\S+ size=([\d.]+)')


def entries(dump, start):
    """The entries of the body, each a list of (page, role, y, size) of its
    text lines in order, and per page its lines, in order."""
    out, page_lines, cur = [], {}, None
    page, role = 0, None
    for ln in dump.splitlines():
        m = PAGE.match(ln)
        if m:
            page, role = int(m.group(1)), None
            continue
        m = BLOCK.match(ln)
        if m:
            role = m.group(1)
            if role == start:
                cur = []
                out.append(cur)
            elif role in HEADINGS:
                cur = None
            continue
        m = TEXT.match(ln)
        if not m or role is None:
            continue  # running heads and footers come before any block
        line = (page, role, float(m.group(2)), float(m.group(3)))
        page_lines.setdefault(page, []).append(line)
        if cur is not None:
            cur.append(line)
    return out, page_lines


def check(layout, source):
    p = subprocess.run(RUN + [BIN, "-q", "--layout", layout, source,
                              "--dump", "-"], capture_output=True, env=ENV)
    if p.returncode != 0:
        return ["contribook exited with %d" % p.returncode], []
    bottom, gap, keep, start = LAYOUTS[layout]
    es, page_lines = entries(p.stdout.decode("utf-8"), start)
    kept, full = [], []
    for n, e in enumerate(es):
        head = [x for x in e if x[1] in HEADING]
        text = [x for x in e if x[1] not in HEADING]
        first = e[0][0]
        want = head + text[:keep]
        if any(x[0] != first for x in want):
            kept.append("entry %d (page %d): heading and the first %d "
                        "lines of its text on pages %s" % (
                            n + 1, first, keep,
                            sorted({x[0] for x in want})))
        # an entry at the top of a page, whole on it, after a page that
        # ends with an entry: would it have fitted there?
        on_page = page_lines.get(first, [])
        before = page_lines.get(first - 1, [])
        if not on_page or on_page[0] is not e[0] or not before:
            continue
        if any(x[0] != first for x in e) or before[-1][1] in HEADINGS:
            continue
        top = e[0][2] + e[0][3]                 # ascent of the title, ~1 em
        height = top - (e[-1][2] - 0.3 * e[-1][3])
        free = before[-1][2] - 0.3 * before[-1][3] - bottom
        if height + gap + 2 < free:
            full.append("entry %d (page %d, %.0f pt high) fitted in the "
                        "%.0f pt left on page %d" % (
                            n + 1, first, height, free - gap, first - 1))
    return kept, full


inputs = [a for a in sys.argv[2:] if os.path.exists(a)]
for source in inputs:
    name = os.path.splitext(os.path.basename(source))[0]
    for layout in LAYOUTS:
        kept, full = check(layout, source)
        report("heading-with-text/%s/%s" % (layout, name), kept)
        report("fitting-entry-not-pushed/%s/%s" % (layout, name), full)
sys.exit(1 if report.failed else 0)
