#!/usr/bin/env python3
"""print.py - a PDF as a print shop checks it, read back from the file.

    python3 tests/print.py boxes PDF WIDTH HEIGHT BLEED
    python3 tests/print.py marks PDF
    python3 tests/print.py folios PDF
    python3 tests/print.py sheets IMPOSED SOURCE

boxes: every page has a TrimBox of WIDTH x HEIGHT points, a BleedBox
BLEED points larger on every side, and a MediaBox holding both (poppler's
pdfinfo -box). marks: page 1, rendered by poppler at 72 dpi, is dark along
each of the eight crop marks (beyond the bleed, outside the trim) and
blank in the bleed's corners, where nothing is drawn. folios: on every page
whose footer has an arabic folio, an odd one is right of the page's middle
and an even one left of it, as a two-sided book has them (pdftotext
-bbox). sheets: IMPOSED is SOURCE imposed for saddle stitching
(--impose booklet): it has a side for every two pages of SOURCE padded to
a multiple of four, and the text of each half of each side (pdftotext of
that half of the trim) is the text of the page signature order puts there
(sheet s front: page N-2s and page 2s+1; back: 2s+2 and N-2s-1, from 1),
or nothing for a blank. Exits 1, with what is wrong, when a check fails.
"""
import html
import re
import subprocess
import sys
import tempfile

# the crop marks' geometry (include/cb_dlist.h)
MARK_OFFSET, MARK_LENGTH = 8.5, 14.2


def boxes(pdf):
    """[{name: (x0, y0, x1, y1)}] per page."""
    out = subprocess.run(["pdfinfo", "-box", "-f", "1", "-l", "100000", pdf],
                         capture_output=True, text=True, check=True).stdout
    pages = {}
    for m in re.finditer(r"^Page +(\d+) +(\w+): +([-\d.]+) +([-\d.]+) +"
                         r"([-\d.]+) +([-\d.]+)", out, re.M):
        pages.setdefault(int(m.group(1)), {})[m.group(2)] = tuple(
            float(m.group(i)) for i in range(3, 7))
    return [pages[k] for k in sorted(pages)]


def check_boxes(pdf, width, height, bleed):
    bad = []
    for i, b in enumerate(boxes(pdf), 1):
        t, bl, me = b["TrimBox"], b["BleedBox"], b["MediaBox"]
        if abs(t[2] - t[0] - width) > 0.02 or abs(t[3] - t[1] - height) > 0.02:
            bad.append("page %d: TrimBox %r is not %gx%g" % (i, t, width,
                                                             height))
        want = (t[0] - bleed, t[1] - bleed, t[2] + bleed, t[3] + bleed)
        if any(abs(a - w) > 0.02 for a, w in zip(bl, want)):
            bad.append("page %d: BleedBox %r, want %r" % (i, bl, want))
        if not (me[0] <= bl[0] and me[1] <= bl[1] and me[2] >= bl[2] and
                me[3] >= bl[3]):
            bad.append("page %d: MediaBox %r does not hold %r" % (i, me, bl))
    return bad


def gray_page(pdf, page):
    """(width, height, pixels) of the page at 72 dpi, 8-bit gray, top
    row first: one pixel per point."""
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", str(page),
                        "-l", str(page), pdf, d + "/p"], check=True)
        data = open(subprocess.run(
            ["sh", "-c", "ls %s/p*" % d], capture_output=True, text=True,
            check=True).stdout.split()[0], "rb").read()
    fields = data.split(maxsplit=4)  # P5 width height maxval pixels
    w, h = int(fields[1]), int(fields[2])
    return w, h, fields[4][-w * h:]


def check_marks(pdf):
    b = boxes(pdf)[0]
    w, h, px = gray_page(pdf, 1)
    media_h = b["MediaBox"][3]
    t = b["TrimBox"]
    bleed = t[0] - b["BleedBox"][0]
    off = max(bleed, MARK_OFFSET)

    def dark(x, y):  # PDF points, y up; a 3x3 neighbourhood
        cx, cy = int(round(x)), int(round(media_h - y))
        return any(px[(cy + dy) * w + cx + dx] < 128
                   for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                   if 0 <= cx + dx < w and 0 <= cy + dy < h)

    bad = []
    mid = off + MARK_LENGTH / 2
    for x, sx in ((t[0], -1), (t[2], 1)):
        for y, sy in ((t[1], -1), (t[3], 1)):
            if not dark(x + sx * mid, y):
                bad.append("no horizontal crop mark at (%g, %g)" % (x, y))
            if not dark(x, y + sy * mid):
                bad.append("no vertical crop mark at (%g, %g)" % (x, y))
            if dark(x + sx * bleed / 2, y + sy * bleed / 2):
                bad.append("something drawn in the bleed at (%g, %g)" % (x, y))
    return bad


def words(pdf):
    """Per page: (page width, page height, [(xMin, yMin, xMax, yMax, word)])
    in points, y down, from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)'
                         r"</page>", out, re.S):
        ws = [(float(a), float(b), float(c), float(d), html.unescape(t))
              for a, b, c, d, t in re.findall(
                  r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                  r'yMax="([\d.]+)">([^<]*)</word>', m.group(3))]
        pages.append((float(m.group(1)), float(m.group(2)), ws))
    return pages


def check_folios(pdf):
    bad, seen = [], 0
    trims = boxes(pdf)
    for i, (pw, ph, ws) in enumerate(words(pdf)):
        t = trims[i]["TrimBox"]
        top, bottom = ph - t[3], ph - t[1]  # the trim, y down
        foot = [wd for wd in ws if wd[1] > bottom - 60 and wd[3] <= bottom
                and wd[1] >= top]
        folio = [wd for wd in foot if wd[4].isdigit()]
        if not folio:
            continue
        x0, _, x1, _, text = folio[-1]
        seen += 1
        middle = (t[0] + t[2]) / 2
        right = (x0 + x1) / 2 > middle
        if right != (int(text) % 2 == 1):
            bad.append("page %d: folio %s on the %s" % (
                i + 1, text, "right" if right else "left"))
    if seen < 2:
        bad.append("fewer than two folios found")
    return bad


def page_text(pdf, page, crop=None):
    """The words of a page (of its crop x, y, w, h in points, y down)."""
    args = ["pdftotext", "-f", str(page), "-l", str(page), "-r", "72"]
    if crop:
        args += ["-x", "%d" % crop[0], "-y", "%d" % crop[1],
                 "-W", "%d" % crop[2], "-H", "%d" % crop[3]]
    out = subprocess.run(args + [pdf, "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(out.split())


def check_sheets(imposed, source):
    pages = boxes(source)
    n = len(pages)
    total = (n + 3) // 4 * 4
    sides = boxes(imposed)
    bad = []
    if len(sides) != total // 2:
        return ["%d sides for %d pages, want %d" % (len(sides), n,
                                                    total // 2)]
    for i, b in enumerate(sides):
        s, back = i // 2, i % 2
        left, right = ((2 * s + 2, total - 2 * s - 1) if back else
                       (total - 2 * s, 2 * s + 1))
        t, media_h = b.get("TrimBox", b["MediaBox"]), b["MediaBox"][3]
        half = (t[2] - t[0]) / 2
        for k, page in enumerate((left, right)):
            crop = (t[0] + k * half + 1, media_h - t[3] + 1, half - 2,
                    t[3] - t[1] - 2)
            got = page_text(imposed, i + 1, crop)
            want = ""
            if page <= n:  # the page's own trim: not its slug line
                pt = pages[page - 1].get("TrimBox", pages[page - 1]["MediaBox"])
                ph = pages[page - 1]["MediaBox"][3]
                want = page_text(source, page, (pt[0] + 1, ph - pt[3] + 1,
                                                pt[2] - pt[0] - 2,
                                                pt[3] - pt[1] - 2))
            if got != want:
                bad.append("side %d, %s half: %r..., want page %d: %r..." % (
                    i + 1, "right" if k else "left", got[:60], page,
                    want[:60]))
    return bad


def main():
    what, pdf = sys.argv[1], sys.argv[2]
    if what == "boxes":
        bad = check_boxes(pdf, *map(float, sys.argv[3:6]))
    elif what == "marks":
        bad = check_marks(pdf)
    elif what == "sheets":
        bad = check_sheets(pdf, sys.argv[3])
    else:
        bad = check_folios(pdf)
    for b in bad[:10]:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
