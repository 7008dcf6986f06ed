#!/usr/bin/env python3
"""The Book of Abstracts read back as a reader would: usage
book.py BINARY SAMPLE.json WORKDIR. Checks, on the PDF:
- page labels: front matter i, ii...; the body from 1;
- every line of the contents names a contribution (or group) that really
  starts on the page its number gives, and its number is a link to that
  page (read back with qpdf --json);
- every page number of an index is a page on which that person,
  affiliation or keyword appears, and links there;
- every contribution is in the contents, every author in the index, and
  no one the book does not print (a presenter who is not an author).
Prints PASS/FAIL lines."""
import json
import os
import re
import subprocess
import sys
import unicodedata

from cbtest import ENV, RUN, Report

BIN, SAMPLE, WORK = sys.argv[1:4]
report = Report("book/" + os.path.splitext(os.path.basename(SAMPLE))[0])


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


pdf = os.path.join(WORK, "boa.pdf")
p = subprocess.run(RUN + [BIN, "-q", "--layout", "book-of-abstracts", SAMPLE,
                          "-o", pdf], capture_output=True, env=ENV)
report("render", [] if p.returncode == 0 else [p.stderr.decode()[:300]])
if p.returncode:
    sys.exit(1)

pages = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", pdf, "-"],
                       capture_output=True, text=True).stdout.split("\f")
doc = json.loads(subprocess.run(["qpdf", "--json", pdf], capture_output=True,
                                text=True).stdout)
objects = doc["qpdf"][1]
page_obj = [pg["object"] for pg in doc["pages"]]
labels = [pg["label"] for pg in doc["pages"]]

# page labels: roman front matter, then the body from 1
problems = []
front = [i for i, l in enumerate(labels) if l and l.get("/S") == "/r"]
body = [i for i, l in enumerate(labels) if l and l.get("/S") == "/D"]
if not front or not body or max(front) > min(body):
    problems.append("labels %s" % labels)
body_first = min(body) if body else 0
report("page-labels", problems)


def page_of_label(n):
    return body_first + n - 1


def links(index):
    """(destination page index, y) of the link annotations of a page."""
    page = objects["obj:" + page_obj[index]]["value"]
    out = []
    for ref in page.get("/Annots", []):
        a = objects["obj:" + ref]["value"]
        dest = a.get("/Dest")
        if isinstance(dest, str):          # an indirect array
            dest = objects["obj:" + dest]["value"]
        if dest and dest[0] in page_obj:
            out.append(page_obj.index(dest[0]))
    return out


data = json.load(open(SAMPLE, encoding="utf-8"))
event = data["results"][0]
contribs = event.get("contributions", []) + [
    c for s in event.get("sessions", []) for c in s["contributions"]]

# the contents: "Title ..... 12"
toc_pages = [i for i, t in enumerate(pages) if "Contents" in t.split("\n", 3)[1:3]
             or re.search(r"^\s*Contents\s*$", t, re.M)]
problems = []
seen = set()
toc_links = []
for i in toc_pages:
    toc_links += links(i)
    for line in pages[i].split("\n"):
        m = re.match(r"\s*(.*?)\s*(?:\. ?)+\s*(\d+)\s*$", line)
        if not m:
            continue
        title, num = norm(m.group(1)), int(m.group(2))
        target = page_of_label(num)
        if target >= len(pages) or title[:40] not in norm(pages[target]):
            problems.append("%r: not on page %d" % (title[:40], num))
        if target not in toc_links:
            problems.append("%r: page %d is not a link" % (title[:40], num))
        seen.add(title)
missing = [c["title"] for c in contribs
           if not any(norm(c["title"]).startswith(t[:30]) for t in seen)]
if missing:
    problems.append("not in the contents: %s" % missing[:3])
if not seen:
    problems.append("no contents found")
report("contents-page-numbers-and-links (%d lines)" % len(seen), problems)

# the indexes: "Surname, Given  3, 7", "Affiliation  2", "keyword  5"
def check_index(title, on_page):
    """on_page(name) -> the text that must be on each page it lists."""
    pages_ = [i for i, t in enumerate(pages)
              if re.search(r"^\s*%s\s*$" % title, t, re.M)]
    problems, entries = [], 0
    for i in pages_:
        targets = links(i)
        for line in pages[i].split("\n"):
            m = re.match(r"\s*(\S.*?)\s+((?:\d+, )*\d+)\s*$", line)
            if not m or m.group(1).strip() == title:
                continue
            entries += 1
            name = norm(m.group(1))
            for num in [int(n) for n in m.group(2).split(",")]:
                target = page_of_label(num)
                want = on_page(name)
                if target >= len(pages) or (
                        want and want.upper() not in
                        norm(pages[target]).upper()):
                    problems.append("%s: not on page %d" % (name, num))
                if target not in targets:
                    problems.append("%s: page %d is not a link" % (name, num))
    if not entries:
        problems.append("no entries found")
    report("%s-page-numbers-and-links (%d entries)" %
           (title.lower().replace(" ", "-"), entries), problems)
    return " ".join(pages[i] for i in pages_)


index_text = norm(check_index("Author Index",
                              lambda n: n.split(",")[0][:12]))
# the book prints authors and co-authors, not presenters
shown = [p for c in contribs
         for p in c.get("primaryauthors", []) + c.get("coauthors", [])]
names = {(p.get("last_name") or "").strip() for p in shown}
missing = [n for n in names if n and n not in index_text]
report("author-index-complete", ["not in the index: %s" % sorted(missing)[:3]]
       if missing else [])
unshown = {(p.get("last_name") or "").strip() for c in contribs
           for p in c.get("speakers", [])} - names
listed = [n for n in unshown if n and n in index_text]
report("author-index-lists-only-what-is-printed",
       ["in the index, never printed: %s" % sorted(listed)[:3]]
       if listed else [])
check_index("Affiliation Index", lambda n: n[:20])
check_index("Keyword Index", lambda n: n[:20])
# the bookmark tree: the event, then its contents, groups and indexes in
# reading order, each group holding its contributions
problems = []
tree = doc.get("outlines", [])
if len(tree) != 1 or norm(tree[0]["title"]) != norm(event["title"]):
    problems.append("top level is %s, not the event" %
                    [t["title"] for t in tree][:3])
else:
    kids = [k["title"] for k in tree[0]["kids"]]
    if kids[:1] != ["Contents"] or kids[-3:] != ["Author Index",
                                                 "Affiliation Index",
                                                 "Keyword Index"]:
        problems.append("event's bookmarks are %s" % kids)
    # each contribution once, under its group (or, in an event without
    # sessions, under the event itself)
    titles = [norm(c["title"]) for c in contribs]
    grouped = any(c.get("session") for c in contribs)
    marks = [norm(g["title"]) for k in tree[0]["kids"]
             for g in (k.get("kids", []) if grouped else [k])]
    inner = sum(1 for t in marks if t in titles)
    if inner != len(contribs):
        problems.append("%d contributions under the %s, %d in the input"
                        % (inner, "groups" if grouped else "event",
                           len(contribs)))
report("bookmark-tree", problems)
report.exit()
