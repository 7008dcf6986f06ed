#!/usr/bin/env python3
"""tags.py - the tagged PDF as a screen reader and pdf.js see it.

    python3 tests/tags.py NAME ROLES -- CONTRIBOOK-ARGS...

Renders CONTRIBOOK-ARGS (and their display list, --dump), reads every page
with pdf.js (tests/js/pdftext.mjs --tags: getStructTree() and the marked
content of getTextContent()) and checks:
- the catalog marks the document as tagged (/MarkInfo /Marked true), has
  a /StructTreeRoot, the document language (/Lang) and asks viewers to
  show the title (/DisplayDocTitle); every page has /StructParents and
  /Tabs /S (qpdf --qdf);
- nothing on a page is drawn outside marked content: text is either in
  the structure or an artifact;
- every marked-content id of a page's stream is in its structure tree, and
  every id in the tree is in the stream;
- the text of the tree, in its order, is the text of the display list's
  blocks, in theirs (whitespace and hyphens aside), and no running head or
  footer is in it;
- every role of ROLES (comma-separated) is in the tree.
Prints PASS/FAIL lines (tags/NAME/...)."""
import json
import os
import re
import subprocess
import sys
import unicodedata

from cbtest import Report, run
import readers

ROOT = readers.ROOT


# Hebrew and Arabic letters: pdf.js cannot give right-to-left text back
# exactly (readers.EXCUSED says why), so the order of the tree is compared
# on the other characters
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def squeeze(s):
    """Letters only: no whitespace, hyphens or format characters."""
    s = RTL.sub("", unicodedata.normalize("NFC", s)).replace(readers.MATH, "")
    return "".join(ch for ch in s if not ch.isspace() and ch != "-" and
                   unicodedata.category(ch) != "Cf")


def walk(node, out_ids, roles, annots):
    if node.get("role"):
        roles.add(node["role"])
    for kid in node.get("children", []):
        if kid.get("type") == "content":
            out_ids.append(kid["id"])
        elif kid.get("type") == "annotation":
            annots[0] += 1
        else:
            walk(kid, out_ids, roles, annots)


def main():
    name, want_roles = sys.argv[1], sys.argv[2].split(",")
    args = [a for a in sys.argv[3:] if a != "--"]
    rep = Report("tags/" + name)
    work = os.environ.get("TMPDIR", "/tmp")
    pdf = os.path.join(work, "tags-%d.pdf" % os.getpid())
    dump = os.path.join(work, "tags-%d.txt" % os.getpid())
    qdf = os.path.join(work, "tags-%d.qdf" % os.getpid())
    try:
        failed = readers.render(args, pdf, dump)
        if failed:
            rep("render", [failed])
            return 1
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf,
                        qdf], check=False)
        with open(qdf, "rb") as f:
            raw = re.sub(r"\s+", " ", f.read().decode("latin-1"))
        rc, out, err = run(["node", os.path.join(ROOT, "tests", "js",
                                                 "pdftext.mjs"), "--tags",
                            pdf])
        if rc:
            rep("pdfjs", ["pdf.js failed: " + err[:300]])
            return 1
        pages = [json.loads(line) for line in out.splitlines() if line]
        _, _, blocks = readers.read_dump(dump)
    finally:
        for p in (pdf, dump, qdf):
            if os.path.exists(p):
                os.remove(p)

    problems = []
    for key in ("/MarkInfo << /Marked true >>", "/StructTreeRoot",
                "/DisplayDocTitle true"):
        if key not in raw:
            problems.append("the catalog has no " + key)
    if not re.search(r"/Lang \([a-zA-Z-]+\)", raw):
        problems.append("the catalog has no /Lang")
    n_pages = len(re.findall(r"/Type /Page\b", raw))
    for key in ("/StructParents", "/Tabs /S"):
        n = raw.count(key)
        if n != n_pages:
            problems.append("%d of %d pages have %s" % (n, n_pages, key))
    rep("catalog-and-pages", problems)

    # every link annotation is in the tree (a Link's object reference) and
    # says what it does
    annots = [o for o in raw.split(" endobj") if "/Subtype /Link" in o]
    n_links = len(annots)
    problems = []
    for key in ("/StructParent ", "/Contents "):
        n = sum(1 for o in annots if key in o)
        if n != n_links:
            problems.append("%d of %d link annotations have %s" % (
                n, n_links, key.strip()))
    rep("links", problems)

    loose = ["page %d: %r" % (i + 1, p["loose"].strip()[:50])
             for i, p in enumerate(pages) if p["loose"].strip()]
    rep("nothing-outside-marked-content", loose[:3])

    problems, roles, tree_text, annots = [], set(), [], [0]
    for i, p in enumerate(pages):
        ids = []
        if p["tree"]:
            walk(p["tree"], ids, roles, annots)
        marked = {m["id"]: m for m in p["marked"] if m["id"]}
        if set(ids) != set(marked):
            problems.append("page %d: %d ids in the stream, %d in the tree, "
                            "%d in only one" % (i + 1, len(marked), len(ids),
                                                len(set(ids) ^ set(marked))))
        tree_text += [marked[k]["text"] for k in ids if k in marked]
    if annots[0] != n_links:
        problems.append("%d link annotations, %d in the tree" % (n_links,
                                                                 annots[0]))
    rep("every-marked-content-id-in-the-tree", problems[:3])

    want = squeeze(readers.pdfjs_compat(
        "".join(text for _, text in blocks.values())))
    got = squeeze("".join(tree_text))
    if want != got:
        at = next((k for k in range(min(len(want), len(got)))
                   if want[k] != got[k]), min(len(want), len(got)))
        rep("tree-text-is-the-blocks-text",
            ["they part at character %d: blocks %r, tree %r" % (
                at, want[max(0, at - 20):at + 30],
                got[max(0, at - 20):at + 30])])
    else:
        rep("tree-text-is-the-blocks-text", [])

    missing = [r for r in want_roles if r not in roles]
    rep("roles", ["no %s in the tree (it has %s)" % (
        ", ".join(missing), ", ".join(sorted(roles)))] if missing else [])
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
