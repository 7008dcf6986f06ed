#!/usr/bin/env python3
"""Pages as a reader sees them: usage pages.py BINARY WORKDIR [INPUT.json
LAYOUT]... Renders each input with its layout (a shipped name or a file)
and reads the words back with pdftotext -bbox. On every page:
- no word lies outside the page;
- no two words are drawn over each other (their boxes share more than a
  third of the smaller one).
Text that continued into a second column used to be drawn over the first,
and running heads over each other: both show here, whatever the layout.
Prints PASS/FAIL lines."""
import html
import os
import re
import subprocess
import sys

from cbtest import ENV, RUN, Report

BIN, WORK = sys.argv[1:3]
cases = sys.argv[3:]
report = Report("pages")

PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" '
                  r'xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')


def pages(pdf):
    """[(width, height, [(x0, y0, x1, y1, word)...])] of the PDF."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"],
                         capture_output=True).stdout.decode("utf-8")
    result = []
    for line in out.splitlines():
        m = PAGE.search(line)
        if m:
            result.append((float(m.group(1)), float(m.group(2)), []))
            continue
        m = WORD.search(line)
        if m and result:
            box = tuple(float(m.group(i)) for i in range(1, 5))
            result[-1][2].append(box + (html.unescape(m.group(5)),))
    return result


def overlap(a, b):
    """The share of the smaller box that a and b have in common."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / small if small > 0 else 0


def check(pdf):
    problems = []
    for n, (width, height, words) in enumerate(pages(pdf), 1):
        for w in words:
            if w[0] < -0.5 or w[1] < -0.5 or w[2] > width + 0.5 or \
                    w[3] > height + 0.5:
                problems.append("page %d: %r lies outside the page" %
                                (n, w[4]))
        # sweep by top edge: only boxes whose vertical ranges meet compare
        words.sort(key=lambda w: w[1])
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b[1] >= a[3]:
                    break
                if overlap(a, b) > 0.33:
                    problems.append("page %d: %r is drawn over %r" %
                                    (n, a[4], b[4]))
        if len(problems) > 5:
            break
    return problems


for i in range(0, len(cases) - 1, 2):
    source, layout = cases[i], cases[i + 1]
    name = "%s--%s" % (os.path.splitext(os.path.basename(source))[0],
                       os.path.splitext(os.path.basename(layout))[0])
    pdf = os.path.join(WORK, name + ".pdf")
    p = subprocess.run(RUN + [BIN, "-q", "--layout", layout, source, "-o",
                              pdf], capture_output=True, env=ENV)
    if p.returncode != 0:
        report(name, ["contribook exited with %d: %s" %
                      (p.returncode, p.stderr.decode()[:200])])
        continue
    report(name, check(pdf))
sys.exit(1 if report.failed else 0)
