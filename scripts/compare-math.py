#!/usr/bin/env python3
"""Sets the formulas of real abstracts with contribook and with xelatex
(unicode-math, the same DejaVu Math TeX Gyre, Noto Serif 10.5 pt text) and
prints, for each, the width each engine gives it: the distance between two
marker words around the formula, measured from the PDF with pdftotext
-bbox, so both are judged the same way. With --pages DIR, keeps both PDFs
there to be looked at side by side.
Usage: compare-math.py CONTRIBOOK-BINARY [--pages DIR].
Needs xelatex (texlive-xetex) and unicode-math (texlive-latex-extra)."""
import os
import shutil
import sys
import tempfile

import texpair

BIN = sys.argv[1]
KEEP = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--pages" else None
SIZE = 10.5
FORMULAS = [  # as FEL2022 and other real abstracts type them
    r"_4", r"\pi", r"\mu", r"\ell \neq 0", r"10^{-4}", r"4\times 10^{-4}",
    r"\approx 10^{10}", r"\sim", r"\text{SiO}_2", r"T_{\rm{CDW}}",
    r"G \propto e^{-x_i^2/2\sigma^2}", r"\alpha_{\mathrm{eff}} \leq 10^{-3}",
    r"\Delta E/E", r"\frac{1}{2}\sqrt{1-\beta^2}", r"K(z) = K_0(1 - a z^2)",
    r"x^{y^{z}}", r"a_{i_{j}}", r"\vec{A}", r"\bar{x}", r"\mathbf{B}",
]


def marker_gaps(pdf):
    """The gap between the QQ and the ZZ of each line, in order (a tall
    formula may make pdftotext list the ZZ first: pair them by baseline)."""
    marks = {"QQ": [], "ZZ": []}
    for page, x0, x1, y1, word in texpair.bbox_words(pdf):
        if word in marks:
            marks[word].append((page, y1, x0, x1))
    left, right = sorted(marks["QQ"]), sorted(marks["ZZ"])
    return [r[2] - q[3] for q, r in zip(left, right)]


with tempfile.TemporaryDirectory() as work:
    lines = ["QQ $%s$ ZZ" % f for f in FORMULAS]
    ours = texpair.contribook(BIN, work, lines)
    theirs = texpair.xelatex(work, lines, r"\usepackage{unicode-math}"
                             r"\setmathfont{DejaVu Math TeX Gyre}")
    a, b = marker_gaps(ours), marker_gaps(theirs)
    if KEEP:
        os.makedirs(KEEP, exist_ok=True)
        shutil.copy(ours, os.path.join(KEEP, "contribook.pdf"))
        shutil.copy(theirs, os.path.join(KEEP, "xelatex.pdf"))
if len(a) != len(FORMULAS) or len(b) != len(FORMULAS):
    sys.exit("compare-math: found %d and %d of %d formulas" %
             (len(a), len(b), len(FORMULAS)))
print("%-34s %11s %9s %7s" % ("formula", "contribook", "xelatex", "diff"))
worst = 0
for f, x, y in zip(FORMULAS, a, b):
    # the gap holds two word spaces, the same in both: subtract nothing,
    # compare what differs
    d = x - y
    worst = max(worst, abs(d))
    print("%-34s %8.2f pt %6.2f pt %+6.2f" % (f, x, y, d))
print("largest difference: %.2f pt (%.2f em)" % (worst, worst / SIZE))
