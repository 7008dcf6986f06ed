#!/usr/bin/env python3
"""report-html.py IN.json OUT.pdf - WeasyPrint for `make bench PEERS=1`:
the export turned into HTML and CSS (paged media: running header, page
numbers, justified and hyphenated text) and printed by WeasyPrint's
Python API, as Indico prints its timetable. The same page as
contribook's report-a4 layout."""
import html
import json
import sys

import weasyprint

CSS = """
@page { size: A4; margin: 70pt 78pt 60pt 78pt;
  @top-left { content: "%s / Report of Contributions"; font: 8pt "Noto Sans";
              color: #5c5c5c; }
  @bottom-right { content: "Page " counter(page); font: 8pt "Noto Sans";
                  color: #5c5c5c; } }
body { font: 10.5pt/14.5pt "Noto Serif"; text-align: justify;
       hyphens: auto; margin: 0; }
.cover { page-break-after: always; text-align: center; padding-top: 40%%; }
.cover h1 { font-size: 28pt; }
.cover p { font: 22pt "Noto Sans"; color: #333; }
.c { page-break-before: always; }
.meta { font: 9.5pt "Noto Sans"; color: #5c5c5c; }
.meta b { color: black; }
.meta .type { float: right; }
h2 { font: bold 16pt "Noto Sans"; text-align: center; margin: 12pt 0 2pt; }
.when { font-style: italic; text-align: center; font-size: 10pt; }
p { margin: 0 0 6pt; }
"""


def e(s):
    return html.escape(s or "")


def name(p):
    s = "%s, %s" % (e(p["last_name"]).upper(), e(p["first_name"]))
    return s + (" (%s)" % e(p["affiliation"]) if p.get("affiliation") else "")


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        event = json.load(f)["results"][0]
    parts = ['<html lang="en"><head><meta charset="utf-8"><title>%s</title>'
             '</head><body><div class="cover"><h1>%s</h1>'
             '<p>Report of Contributions</p></div>'
             % (e(event["title"]), e(event["title"]))]
    for c in event["contributions"]:
        parts.append('<div class="c"><div class="meta">Contribution ID: '
                     '<b>%s</b> &#8195;Contribution code: <b>%s</b>'
                     '<span class="type">Type: <b>%s</b></span></div>'
                     '<h2>%s</h2><div class="when">%s, %s (%s minutes)</div>'
                     % (c["friendly_id"], e(c["code"]),
                        e(c["type"]) or "not specified", e(c["title"]),
                        c["startDate"]["date"], c["startDate"]["time"],
                        c["duration"]))
        for para in (c.get("description") or "").split("\n\n"):
            parts.append("<p>%s</p>" % "<br>".join(
                e(line) for line in para.split("\n")))
        for label, key in (("Primary authors", "primaryauthors"),
                           ("Co-authors", "coauthors"),
                           ("Presenter", "speakers")):
            if c[key]:
                parts.append("<p><b>%s:</b> %s</p>" % (
                    label, "; ".join(name(p) for p in c[key])))
        parts.append("<p><b>Session Classification:</b> %s<br>"
                     "<b>Track Classification:</b> %s</p></div>"
                     % (e(c["session"]), e(c["track"])))
    parts.append("</body></html>")
    css = weasyprint.CSS(string=CSS % e(event["title"]).replace('"', "'"))
    weasyprint.HTML(string="".join(parts)).write_pdf(out, stylesheets=[css])


main()
