"""One text set twice, by contribook and by xelatex, on the same page: A4,
a 439.28 pt measure (the report layout's), Noto Serif at 10.5/14.5 pt,
\\frenchspacing (contribook has no wider space after a sentence). Used by
compare-tex.py (line breaking) and compare-math.py (formulas)."""
import json
import os
import re
import subprocess
import sys


def contribook(binary, work, paragraphs):
    """The paragraphs as one contribution's abstract, in the report layout;
    the PDF's path."""
    src = os.path.join(work, "a.json")
    with open(src, "w") as f:
        json.dump({"contribook": 1, "event": {"title": "Comparison"},
                   "contributions": [{"id": "1", "title": "Comparison",
                                      "abstract": "\n\n".join(paragraphs)}]},
                  f)
    pdf = os.path.join(work, "contribook.pdf")
    subprocess.run([binary, "-q", src, "-o", pdf], check=True)
    return pdf


def xelatex(work, paragraphs, preamble=""):
    """The same paragraphs through xelatex, with `preamble` added (the math
    font, say); the PDF's path."""
    tex = os.path.join(work, "x.tex")
    with open(tex, "w") as f:
        f.write(r"""\documentclass{article}
\usepackage{fontspec}
\setmainfont{Noto Serif}
""" + preamble + r"""
\usepackage[paperwidth=595.28pt,paperheight=841.89pt,textwidth=439.28pt,
  textheight=700pt]{geometry}
\setlength{\parindent}{0pt}\setlength{\parskip}{5pt}\frenchspacing
\pagestyle{empty}
\begin{document}
\fontsize{10.5pt}{14.5pt}\selectfont
""" + "\n\n".join(paragraphs) + "\n\\end{document}\n")
    r = subprocess.run(["xelatex", "-interaction=nonstopmode",
                        "-output-directory", work, tex], capture_output=True,
                       text=True, check=False)
    pdf = os.path.join(work, "x.pdf")
    if not os.path.exists(pdf):
        sys.exit("xelatex wrote no PDF:\n" + r.stdout[-2000:])
    return pdf


def bbox_words(pdf):
    """Every word pdftotext -bbox reads in pdf: (page, xmin, xmax, ymax,
    word), pages from 1."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                         text=True).stdout
    words, page = [], 0
    for ln in out.splitlines():
        if "<page " in ln:
            page += 1
        m = re.search(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" '
                      r'yMax="([\d.]+)">([^<]*)</word>', ln)
        if m:
            words.append((page, float(m.group(1)), float(m.group(2)),
                          float(m.group(3)), m.group(4)))
    return words
