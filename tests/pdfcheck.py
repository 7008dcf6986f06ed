#!/usr/bin/env python3
"""pdfcheck.py - reads a rendered Report of Contributions as a reader would.

    python3 tests/pdfcheck.py [--label NAME] [--epoch SECONDS] [--docs DIR]
                              [--per-item-max N] INPUT.json OUTPUT.pdf

Parses INPUT.json itself (an Indico export, or contribook's native format
once doc/native-format.md exists), extracts the text of OUTPUT.pdf with
poppler's pdftotext and checks, for every contribution, the pages that
belong to it: the id line, the title, the type, and every person under the
right label, written as Indico writes them ("LASTNAME, First (Affiliation)").
It also checks pdfinfo's metadata (title, creator, producer, creation date,
page count) and that pdffonts lists every font as embedded with a Unicode
map.

Prints one line per check, "PASS e2e/NAME/what" or "FAIL e2e/NAME/what:
why". Contributions get a line each when there are at most --per-item-max
of them (default 40), else one line for all of them naming the first five
failures. Exits 1 when any check failed, else 0. Python standard library
only, plus pdftotext, pdfinfo and pdffonts (poppler-utils).

Text comparison. pdftotext runs in -raw mode (content-stream order, which
is the order contribook draws in, and no removal of hyphens at line ends,
which the default mode does: "free-" + "electron" would come out as
"freeelectron"). Running heads and footers are drawn first on every page
and are removed. Lines are joined with a space (none between two East Asian
wide characters, where line breaks add no space), whitespace runs collapse
to one space, whitespace after a hyphen is dropped on both sides (so a
break after "free-" compares equal), and both sides are NFC-normalised.
"""
import argparse
import collections
import datetime
import functools
import json
import os
import re
import sys
import unicodedata

from cbtest import BIDI_CONTROLS, Report, run

MONTHS = ("January February March April May June July August September "
          "October November December").split()
PAGE_RE = re.compile(r"^Page \d+$")
DATE_RE = re.compile(r"^\d{1,2} (%s) \d{4}$" % "|".join(MONTHS))
HEAD_MARK = " / Report of Contributions"
ID_RE = re.compile(r"^Contribution ID: (\S+)")


# ---- text normalisation ----

def is_wide(ch):
    """Chinese and Japanese characters, between which a line may break
    without a space. Korean is set word by word: its breaks are spaces."""
    hangul = "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff"
    return unicodedata.east_asian_width(ch) in ("W", "F") and not hangul


RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
RTL_PUNCT_GAP = re.compile(
    "(?<=[%s])\\s+(?=[^\\w\\s])|(?<=[^\\w\\s])\\s+(?=[%s])" % (RTL, RTL))


# TeX math in a title as the PDF shows it: on the page a formula, whose
# scripts read back as plain characters ("(TaSe4)2I"); in the running head
# and bookmarks, which hold no formulas, Unicode's script characters
# ("(TaSe₄)₂I"). Only what titles of the fixtures type: scripts of digits
# and signs.
MATH = re.compile(r"\$([^$\s](?:[^$\n]*[^$\s])?)\$(?![0-9])")
SCRIPT = re.compile(r"([_^])\{?([0-9+=()\u2212-]+)\}?")
SUBS = str.maketrans("0123456789+-\u2212=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")
SUPS = str.maketrans("0123456789+-\u2212=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾")


def math_shown(s, head):
    def formula(m):
        def script(x):
            t = x.group(2)
            return t.translate(SUBS if x.group(1) == "_" else SUPS) if head \
                else t.replace("-", "\u2212")
        return SCRIPT.sub(script, m.group(1))
    return MATH.sub(formula, s)


def norm(s):
    """NFC, no bidi controls, whitespace runs to one space, no whitespace
    after a hyphen. Between right-to-left letters and punctuation no
    whitespace at all: pdftotext places neutral punctuation beside
    right-to-left words by its own rules (in -raw mode, on a line of its
    own), so only the order of letters and marks is compared there."""
    s = unicodedata.normalize("NFC", s)
    s = BIDI_CONTROLS.sub("", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = RTL_PUNCT_GAP.sub("", s)
    return re.sub(r"- ", "-", s)


def is_invisible(ch):
    """Format characters such as U+00AD SOFT HYPHEN and U+200B ZERO WIDTH
    SPACE: pdftotext -raw ends a line after them, though nothing breaks."""
    return unicodedata.category(ch) == "Cf"


def join_lines(lines):
    out = ""
    for line in lines:
        line = BIDI_CONTROLS.sub("", line).strip()
        if not line:
            continue
        if out and not (is_wide(out[-1]) and is_wide(line[0])) and \
                not is_invisible(out[-1]):
            out += " "
        out += line
    return out


def upper_simple(s):
    """Per-character upper case, as contribook's simple case mapping does:
    a character whose upper case is longer (ß -> SS) stays as it is."""
    return "".join(ch.upper() if len(ch.upper()) == 1 else ch for ch in s)


def short(s, n=70):
    return s if len(s) <= n else s[:n - 1] + "\u2026"


# ---- the input, as contribook should show it ----

def text(v):
    """A string field as contribook reads it: without the spaces, tabs and
    line ends around it (real exports have "Heuchling " as a surname);
    None for absent, null, "" and blank."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        v = v.strip(" \t\r\n")
        return v if v else None
    return None


class Person:
    def __init__(self, first, last, title, affiliation):
        self.first, self.last = first, last
        self.title, self.affiliation = title, affiliation

    def shown(self):
        """'LAST, First (Affiliation)' without the title (Indico's form)."""
        last = upper_simple(self.last) if self.last else None
        if last and self.first:
            s = "%s, %s" % (last, self.first)
        else:
            s = last or self.first
        if self.affiliation:
            s += " (%s)" % self.affiliation
        return s


def read_person(obj, keys):
    """keys: (first, last, title, affiliation, full name)."""
    if not isinstance(obj, dict):
        return None
    first, last = text(obj.get(keys[0])), text(obj.get(keys[1]))
    if not first and not last:
        full = text(obj.get(keys[4]))
        if full:
            i = full.find(", ")
            if i < 0:
                last = full
            else:
                last = full[:i] or None
                first = full[i + 2:] or None
    if not first and not last:
        return None  # contribook warns and leaves it out
    return Person(first, last, text(obj.get(keys[2])),
                  text(obj.get(keys[3])))


def read_people(lst, keys):
    if not isinstance(lst, list):
        return []
    return [p for p in (read_person(o, keys) for o in lst) if p]


class Contribution:
    pass


INDICO_PERSON = ("first_name", "last_name", "title", "affiliation",
                 "fullName")
NATIVE_PERSON = ("first", "last", "title", "affiliation", "name")


def indico_contribution(c, block_title, pos):
    k = Contribution()
    k.pos = pos
    k.id = text(c.get("friendly_id")) or text(c.get("id"))
    k.title = text(c.get("title"))
    k.type = text(c.get("type"))
    k.session = text(c.get("session")) or block_title
    k.track = text(c.get("track"))
    k.authors = read_people(c.get("primaryauthors"), INDICO_PERSON)
    k.coauthors = read_people(c.get("coauthors"), INDICO_PERSON)
    k.speakers = read_people(c.get("speakers"), INDICO_PERSON)
    return k


def native_contribution(c, block_title, pos):
    k = Contribution()
    k.pos = pos
    k.id = text(c.get("id"))
    k.title = text(c.get("title"))
    k.type = text(c.get("type"))
    k.session = text(c.get("session"))
    k.track = text(c.get("track"))
    k.authors = read_people(c.get("authors"), NATIVE_PERSON)
    k.coauthors = read_people(c.get("coauthors"), NATIVE_PERSON)
    k.speakers = read_people(c.get("presenters"), NATIVE_PERSON)
    return k


def contribs_of(parent, make, block_title, out):
    lst = parent.get("contributions") if isinstance(parent, dict) else None
    for c in lst if isinstance(lst, list) else []:
        if isinstance(c, dict):
            out.append(make(c, block_title, len(out)))


def read_input(path):
    """Returns (format, [(event title, [Contribution])])."""
    with open(path, "rb") as f:
        doc = json.loads(f.read().decode("utf-8-sig"))
    events = []
    if isinstance(doc, dict) and "results" in doc:
        for ev in doc["results"]:
            cs = []
            contribs_of(ev, indico_contribution, None, cs)
            for s in ev.get("sessions") or []:
                if isinstance(s, dict):
                    contribs_of(s, indico_contribution, text(s.get("title")),
                                cs)
            events.append((text(ev.get("title")), cs))
        return "indico", events
    if isinstance(doc, dict) and "events" in doc:
        for ev in doc["events"]:
            cs = []
            contribs_of(ev, native_contribution, None, cs)
            events.append((text(ev.get("title")), cs))
        return "native", events
    ev = doc.get("event") or {}
    cs = []
    contribs_of(ev, native_contribution, None, cs)
    contribs_of(doc, native_contribution, None, cs)
    events.append((text(ev.get("title")), cs))
    return "native", events


def id_cmp(a, b):
    """contribook's order: numeric when both ids are numbers, else bytes."""
    if a.isdigit() and b.isdigit() and int(a) != int(b):
        return -1 if int(a) < int(b) else 1
    ea, eb = a.encode(), b.encode()
    return (ea > eb) - (ea < eb)


def in_print_order(events):
    order = []
    for n, (title, cs) in enumerate(events, 1):
        for k in cs:
            k.event_title = title
            k.name = "contribution-%s" % k.id
            if len(events) > 1:
                k.name = "event%d/%s" % (n, k.name)
        order += sorted(cs, key=functools.cmp_to_key(
            lambda x, y: id_cmp(x.id, y.id) or (x.pos - y.pos)))
    return order


# ---- the PDF, as a reader sees it ----

def strip_furniture(lines):
    """Drops the running head, page number and date drawn at the top of
    every page's content stream. Returns (head or None, body lines).

    The head is one line, except that pdftotext -raw starts a new line after
    a zero-width character (a soft hyphen, say), so it is everything before
    the "Page N" line."""
    p = next((i for i, ln in enumerate(lines[:8]) if PAGE_RE.match(ln)),
             None)
    if p is None:
        return None, lines
    head = join_lines(lines[:p]) if p else None
    if head is not None and HEAD_MARK not in head:
        head = None
    i = p + 1
    if i < len(lines) and DATE_RE.match(lines[i]):
        i += 1
    return head, lines[i:]


def segments(pages):
    """Splits pages into contributions:
    [(id, [page numbers], body text, [running heads])]."""
    segs = []
    cur = None
    for n, page in enumerate(pages, 1):
        lines = [ln for ln in page.split("\n") if ln.strip()]
        head, body = strip_furniture(lines)
        if head is None:  # a title page
            cur = None
            continue
        m = ID_RE.match(body[0]) if body else None
        if m:
            cur = [m.group(1), [n], list(body), [head]]
            segs.append(cur)
        elif cur is not None:
            cur[1].append(n)
            cur[2] += body
            cur[3].append(head)
    return [(s[0], s[1], norm(join_lines(s[2])), s[3]) for s in segs]


# ---- checks ----

LABELS = ("Primary author:", "Primary authors:", "Co-author:", "Co-authors:",
          "Presenter:", "Presenters:", "Session Classification:",
          "Track Classification:", "Keywords:", "Reference:", "References:")


def labelled(body, label):
    """The text after `label` up to the next label, or None."""
    i = body.find(label)
    if i < 0:
        return None
    start = i + len(label)
    ends = [j for j in (body.find(other, start) for other in LABELS)
            if j >= 0]
    return body[start:min(ends)] if ends else body[start:]


def is_cut_of(shown, full):
    """True when `shown` is `full`, or a beginning of it ending in '…'."""
    full = norm(full)
    if shown == full:
        return True
    return shown.endswith("\u2026") and len(shown) > 1 and \
        full.startswith(shown[:-1].rstrip())


def check_contribution(k, seg):
    problems = []
    ids, pages, body, heads = seg
    bad_left = bad_right = None
    for n, head in zip(pages, heads):
        left, _, right = norm(head).partition(HEAD_MARK.strip())
        left, right = left.strip(), right.strip()
        if bad_left is None and not is_cut_of(left, k.event_title or ""):
            bad_left = "running head on page %d starts %r, not the event " \
                "title" % (n, short(left))
        if bad_right is None and not (right and is_cut_of(
                right, math_shown(k.title or "", True))):
            bad_right = "running head on page %d ends %r, not the title" \
                % (n, short(right))
    problems += [p for p in (bad_left, bad_right) if p]
    want = "Contribution ID: %s" % k.id
    if not body.startswith(norm(want)):
        problems.append("page %d does not start with %r" % (pages[0], want))

    def need(s, what):
        if norm(s) not in body:
            problems.append("%s %r not found" % (what, short(s)))

    need(math_shown(k.title or "", False), "title")
    need("Type: %s" % (k.type or "not specified"), "type")
    for one, many, people in (("Primary author:", "Primary authors:",
                               k.authors),
                              ("Co-author:", "Co-authors:", k.coauthors),
                              ("Presenter:", "Presenters:", k.speakers)):
        if not people:
            for label in (one, many):
                if label in body:
                    problems.append("%r shown but there is nobody" % label)
            continue
        label, other = (one, many) if len(people) == 1 else (many, one)
        if other in body:
            problems.append("%r shown for %d %s" % (
                other, len(people),
                "person" if len(people) == 1 else "people"))
        section = labelled(body, label)
        if section is None:
            problems.append("label %r not found" % label)
            section = body
        for p in people:
            if norm(p.shown()) not in section:
                problems.append("%s %r not found after %r" % (
                    "person", short(p.shown()), label))
    if k.session:
        need("Session Classification: %s" % k.session, "session")
    if k.track:
        need("Track Classification: %s" % k.track, "track")
    return problems


def check_text(fx, pdf, order, per_item_max, epoch, events):
    rc, out, err = run(["pdftotext", "-enc", "UTF-8", "-raw", pdf, "-"])
    problems = []
    if rc != 0:
        problems.append("pdftotext exited with %d" % rc)
    if err.strip():
        problems.append("pdftotext wrote to stderr: %s" %
                        short(" | ".join(err.strip().splitlines()), 200))
    fx.report("text-extraction", problems)
    if rc != 0:
        return None
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()

    # every page's footer: its number and the generation date
    problems = []
    bad = [n for n, p in enumerate(pages, 1)
           if ("\nPage %d\n" % n) not in "\n" + p + "\n"]
    if bad:
        problems.append("no 'Page N' footer on page%s %s" % (
            "s" if len(bad) > 1 else "", ", ".join(map(str, bad[:10]))))
    if epoch is not None:
        d = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
        date = "%d %s %d" % (d.day, MONTHS[d.month - 1], d.year)
        bad = [n for n, p in enumerate(pages, 1)
               if ("\n%s\n" % date) not in "\n" + p + "\n"]
        if bad:
            problems.append("no footer date %r (SOURCE_DATE_EPOCH %d) on "
                            "page%s %s" % (date, epoch,
                                           "s" if len(bad) > 1 else "",
                                           ", ".join(map(str, bad[:10]))))
    fx.report("footers", problems)

    # title pages: one per event, before its contributions, with its title
    if events is not None:
        titles = [n for n, p in enumerate(pages, 1)
                  if strip_furniture([ln for ln in p.split("\n")
                                      if ln.strip()])[0] is None]
        problems = []
        if len(titles) != len(events) or (titles and titles[0] != 1):
            problems.append("title pages are pages %s, expected %d of them "
                            "starting at page 1" % (titles, len(events)))
        for n, (title, _) in zip(titles, events):
            _, body = strip_furniture(
                [ln for ln in pages[n - 1].split("\n") if ln.strip()])
            text_ = norm(join_lines(body))
            for want in (title or "", "Report of Contributions"):
                if norm(want) not in text_:
                    problems.append("page %d lacks %r" % (n, short(want)))
        fx.report("title-pages", problems)

    if order is None:
        return len(pages)
    segs = segments(pages)
    by_id = collections.defaultdict(collections.deque)
    for s in segs:
        by_id[s[0]].append(s)

    # contributions in the right order
    got = [s[0] for s in segs]
    want = [k.id for k in order]
    if got == want:
        fx.report("order", [])
    else:
        i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b),
                 min(len(got), len(want)))
        fx.report("order", ["%d contributions in the PDF, %d in the input; "
                            "first difference at #%d: PDF has %s, expected %s"
                            % (len(got), len(want), i + 1,
                               got[i] if i < len(got) else "nothing",
                               want[i] if i < len(want) else "nothing")])

    results = []
    for k in order:
        q = by_id.get(k.id)
        if not q:
            results.append((k, ["no page starts with 'Contribution ID: %s'"
                                % k.id]))
        else:
            results.append((k, check_contribution(k, q.popleft())))
    if len(order) <= per_item_max:
        for k, problems in results:
            fx.report(k.name, problems)
    else:
        failed = [(k, p) for k, p in results if p]
        fx.report("contributions", [
            "%d of %d contributions wrong, first %d: %s" % (
                len(failed), len(results), min(5, len(failed)),
                " / ".join("%s: %s" % (k.id, "; ".join(p[:3]))
                           for k, p in failed[:5]))] if failed else [])
    return len(pages)


def pdfinfo_fields(pdf):
    rc, out, err = run(["pdfinfo", "-enc", "UTF-8", "-isodates", pdf])
    info = {}
    for line in out.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return rc, info, err


def check_info(fx, pdf, event_title, n_contribs, epoch, n_text_pages):
    rc, info, err = pdfinfo_fields(pdf)
    problems = []
    if rc != 0:
        problems.append("pdfinfo exited with %d: %s" % (rc, short(err, 200)))
        fx.report("pdfinfo", problems)
        return
    if err.strip():
        problems.append("pdfinfo wrote to stderr: %s" % short(err.strip()))
    try:
        pages = int(info.get("Pages", ""))
    except ValueError:
        pages = -1
        problems.append("no page count")
    if n_contribs is not None and pages < 1 + n_contribs:
        problems.append("%d pages for %d contributions (want at least %d)"
                        % (pages, n_contribs, 1 + n_contribs))
    if n_text_pages is not None and pages >= 0 and n_text_pages != pages:
        problems.append("pdftotext saw %d pages, pdfinfo %d"
                        % (n_text_pages, pages))
    if event_title is not None:
        title = info.get("Title", "")
        if norm(event_title) not in norm(title):
            problems.append("Title %r lacks the event title %r"
                            % (short(title), short(event_title)))
    for key in ("Creator", "Producer"):
        if "contribook" not in info.get(key, ""):
            problems.append("%s %r does not mention contribook"
                            % (key, info.get(key, "")))
    if epoch is not None:
        want = datetime.datetime.fromtimestamp(
            epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        got = info.get("CreationDate", "")
        if not (got == want + "Z" or got == want + "+00:00" or
                got == want + "+00"):
            problems.append("CreationDate %r, expected %sZ (epoch %d)"
                            % (got, want, epoch))
    fx.report("pdfinfo", problems)


def check_fonts(fx, pdf):
    rc, out, err = run(["pdffonts", pdf])
    problems = []
    if rc != 0:
        fx.report("fonts", ["pdffonts exited with %d: %s"
                            % (rc, short(err, 200))])
        return
    lines = out.splitlines()
    dash = next((i for i, ln in enumerate(lines) if ln.startswith("---")),
                None)
    if dash is None or dash == 0:
        fx.report("fonts", ["cannot read pdffonts output"])
        return
    # column spans from the dashes line, names from the header line
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[dash])]
    names = [lines[dash - 1][a:b].strip() for a, b in spans]
    try:
        emb, uni = names.index("emb"), names.index("uni")
    except ValueError:
        fx.report("fonts", ["pdffonts has no emb/uni columns"])
        return
    rows = [ln for ln in lines[dash + 1:] if ln.strip()]
    if not rows:
        problems.append("no fonts at all")
    for row in rows:
        cols = [row[a:b].strip() for a, b in spans]
        if cols[emb] != "yes" or cols[uni] != "yes":
            problems.append("%s: emb=%s uni=%s" % (cols[0], cols[emb],
                                                   cols[uni]))
    if err.strip():
        problems.append("pdffonts wrote to stderr: %s" % short(err.strip()))
    fx.report("fonts", problems)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--label", help="name in the PASS/FAIL lines")
    ap.add_argument("--epoch", type=int,
                    help="SOURCE_DATE_EPOCH the PDF was made with")
    ap.add_argument("--docs", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "doc"),
        help="the project's doc directory (for doc/native-format.md)")
    ap.add_argument("--per-item-max", type=int, default=40)
    ap.add_argument("input")
    ap.add_argument("pdf")
    a = ap.parse_args()
    fx = Report("e2e/" + (a.label or
                          os.path.splitext(os.path.basename(a.input))[0]))

    fmt, events = read_input(a.input)
    known = fmt == "indico" or os.path.exists(
        os.path.join(a.docs, "native-format.md"))
    order = in_print_order(events) if known else None

    check_fonts(fx, a.pdf)
    n_pages = check_text(fx, a.pdf, order, a.per_item_max, a.epoch,
                         events if known else None)
    if known:
        check_info(fx, a.pdf, events[0][0] if events else None,
                   len(order), a.epoch, n_pages)
    else:
        # the native format is not documented yet: only what needs no input
        check_info(fx, a.pdf, None, None, a.epoch, n_pages)
    return 1 if fx.failed else 0


if __name__ == "__main__":
    sys.exit(main())
