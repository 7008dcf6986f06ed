#!/usr/bin/env python3
"""report-tex.py IN.json DIR - the Indico-style pipeline for `make bench
PEERS=1`: the export turned into LaTeX by a template (as Indico's Jinja
templates do), compiled by xelatex twice, as Indico runs it
(`xelatex -no-shell-escape -interaction nonstopmode`; the second run for
the bookmarks). The same page as contribook's report-a4 layout: Noto Serif
and Noto Sans, A4, one contribution a page. Writes DIR/report.pdf."""
import json
import os
import subprocess
import sys

SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$",
           "&": r"\&", "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\^{}",
           "~": r"\textasciitilde{}"}


def tex(s):
    return "".join(SPECIAL.get(ch, ch) for ch in (s or ""))


def name(p):
    s = "%s, %s" % (tex(p["last_name"]).upper(), tex(p["first_name"]))
    return s + (" (%s)" % tex(p["affiliation"]) if p.get("affiliation") else "")


def people(label, lst):
    if not lst:
        return ""
    return r"\textbf{%s:} %s\par" % (label, "; ".join(name(p) for p in lst))


HEAD = r"""\documentclass[a4paper,10.5pt]{article}
\usepackage[a4paper,hmargin=78pt,top=70pt,bottom=60pt]{geometry}
\usepackage{fontspec}
\setmainfont{Noto Serif}
\setsansfont{Noto Sans}
\usepackage{polyglossia}
\setdefaultlanguage{english}
\usepackage{xcolor}
\usepackage[hidelinks,pdfencoding=auto]{hyperref}
\makeatletter
\def\ps@report{%%
  \def\@oddhead{\sffamily\scriptsize\color{darkgray}%(event)s / Report of Contributions\hfil}%%
  \def\@oddfoot{\sffamily\scriptsize\color{darkgray}\hfil Page \thepage}%%
  \let\@evenhead\@oddhead\let\@evenfoot\@oddfoot}
\makeatother
\pagestyle{report}
\setlength{\parindent}{0pt}
\frenchspacing
\begin{document}
\begin{titlepage}\centering\vspace*{\fill}
{\bfseries\fontsize{28}{34}\selectfont %(event)s\par}\vspace{1em}
{\sffamily\fontsize{22}{26}\selectfont\color{darkgray} Report of Contributions\par}
\vspace*{\fill}\end{titlepage}
"""

CONTRIB = r"""\newpage
\pdfbookmark{%(title)s}{c%(id)s}
{\sffamily\small\color{darkgray} Contribution ID: \textcolor{black}{\textbf{%(fid)s}}\quad
Contribution code: \textcolor{black}{\textbf{%(code)s}}\hfill
Type: \textcolor{black}{\textbf{%(type)s}}\par}
\begin{center}
{\sffamily\bfseries\large %(title)s\par}
{\itshape\small %(date)s, %(time)s (%(duration)s minutes)\par}
\end{center}
%(body)s\par
\medskip
%(people)s
\textbf{Session Classification:} %(session)s\par
\textbf{Track Classification:} %(track)s\par
"""


def main():
    src, work = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        event = json.load(f)["results"][0]
    out = [HEAD % {"event": tex(event["title"])}]
    for c in event["contributions"]:
        paras = [r"\\".join(tex(line) for line in p.split("\n"))
                 for p in (c.get("description") or "").split("\n\n")]
        out.append(CONTRIB % {
            "id": c["id"], "fid": c["friendly_id"], "code": tex(c["code"]),
            "type": tex(c["type"]) or "not specified",
            "title": tex(c["title"]), "date": c["startDate"]["date"],
            "time": c["startDate"]["time"], "duration": c["duration"],
            "body": "\n\n".join(paras),
            "people": "\n".join(people(l, c[k]) for l, k in
                                (("Primary authors", "primaryauthors"),
                                 ("Co-authors", "coauthors"),
                                 ("Presenter", "speakers"))),
            "session": tex(c["session"]), "track": tex(c["track"])})
    out.append(r"\end{document}" + "\n")
    with open(os.path.join(work, "report.tex"), "w", encoding="utf-8") as f:
        f.write("".join(out))
    for _ in range(2):
        subprocess.run(["xelatex", "-no-shell-escape", "-interaction",
                        "nonstopmode", "report.tex"], cwd=work, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not os.path.exists(os.path.join(work, "report.pdf")):
        sys.exit("report-tex.py: xelatex wrote no PDF (see %s/report.log)"
                 % work)


main()
