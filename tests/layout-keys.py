#!/usr/bin/env python3
"""Every layout key changes the output as documented: for each key that
`contribook --layout-keys` lists, a layout setting it to another value
must change the display list of the layout fixtures (tests/layout/*.json),
and where the key says what it does, the change must be that (a page size,
a label's text, a colour...). Usage: layout-keys.py BINARY WORKDIR.
Prints PASS/FAIL lines."""
import os
import re
import subprocess
import sys

from cbtest import ENV, RUN, Report

BIN, WORK = sys.argv[1:3]
FIXTURES = ["tests/layout/report-basics.json", "tests/layout/pagination.json"]


def dump(layout_text, fixtures=FIXTURES, args=()):
    path = os.path.join(WORK, "k.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(layout_text)
    out = []
    for fx in fixtures:
        p = subprocess.run(RUN + [BIN, "-q", "--layout", path] + list(args) +
                           [fx, "--dump", "-"], capture_output=True, env=ENV)
        if p.returncode != 0:
            return None, p.stderr.decode()
        out.append(p.stdout.decode())
    return "".join(out), ""


def other(key, typ, default):
    """Another valid value for the key, as YAML."""
    if key == "page.bleed":  # its default is 0
        return "3mm"
    if key.startswith("fonts."):
        return {"fonts.serif": "DejaVu Serif", "fonts.sans": "DejaVu Sans",
                "fonts.mono": "DejaVu Sans Mono",
                "fonts.math": "Noto Serif"}[key]
    if typ == "length":
        n, unit = re.fullmatch(r"([\d.]+)(\w+)", default).groups()
        # sizes grow less, to stay below their leading
        factor = 1.1 if key.endswith(".size") else 1.3
        return "%g%s" % (round(float(n) * factor, 2), unit)
    if typ == "paper":
        return "letter"
    if typ == "true/false":
        return "false" if default == "true" else "true"
    if typ in ("colour", "colour or none"):
        return '"#ff0000"'
    if typ == "choice":
        return {"justify": "left", "center": "left", "none": "session",
                "page": "continuous", "sans": "serif",
                "time": "name", "top": "bottom",
                "below": "beside", "merged": "events"}.get(default, "left")
    if typ == "number":
        if key.endswith("columns"):   # narrow enough that entries wrap
            return "4" if key == "back.index_columns" else "2"
        return str(int(default) + 37)
    if typ == "file":
        return "matter.md"  # relative: a layout names files beside it
    if typ == "PNG or JPEG file":
        return "logo.png"
    if typ in ("12 names", "7 names"):
        return "[" + ", ".join("X" + w.strip() for w in
                               default.strip("[]").split(",")) + "]"
    if typ == "field list":
        return "[" + ", ".join(reversed(default.strip("[]").split(", "))) + "]"
    if key == "body.language":
        return "xx"
    if typ == "names":  # a type, session or track of the fixtures
        return "[X]" if key.startswith("select.") else {
            "exclude.types": "[Talk]", "exclude.sessions": "[morning]",
            "exclude.tracks": "[Methods]"}[key]
    if typ == "sort keys":
        return "[time]"
    if typ == "group":
        return "session"
    return '"X%s"' % default.replace('"', '\\"')


def nested(key, value):
    parts = key.split(".")
    lines = []
    for i, p in enumerate(parts[:-1]):
        lines.append("  " * i + p + ":")
    lines.append("  " * (len(parts) - 1) + parts[-1] + ": " + value)
    return "\n".join(lines) + "\n"


# what a key's change must show in the dump, beyond "something changed"
EXPECT = {
    "page.size": "size=612x792",
    "colors.link": "color=ff0000",
    "colors.rule": "color=ff0000",
    "meta.color": "color=ff0000",
    "head.color": "color=ff0000",
    "fonts.serif": "font=DejaVuSerif",
    "fonts.sans": "font=DejaVuSans",
    "fonts.mono": "font=DejaVuSansMono",
    "page.bleed": "trim margin=8.5 bleed=8.5",
    "colors.text": "text color=ff0000",
    "cover.background": "color=ff0000",
    "cover.color": "color=ff0000",
    "cover.logo": "image 1 png 150x60 logo.png",
    "head.logo": "image 1 png 150x60 logo.png",
    # a list of names, of which a change shows those of its fields
    "labels.change_fields": "(Xtitle)",
}

# keys that act only on other input: both runs read these fixtures (lines
# kept with a heading matter only where an entry does not fit whole)
KEY_FIXTURES = {"entry.keep_lines": ["tests/data/keep/workshop.json"],
                "qr.size": ["samples/indico-conference.json"],
                "qr.align": ["samples/indico-conference.json"],
                "qr.position": ["samples/indico-conference.json"]}

# keys that act only with an option: both runs get these arguments (the
# changes page needs a previous edition)
PREVIOUS = ["--previous", "tests/data/diff/report-basics-previous.json"]
KEY_ARGS = {k: PREVIOUS for k in (
    "front.changes", "labels.changes", "labels.added", "labels.changed",
    "labels.removed", "labels.change_fields")}

# keys that act only with others set: both runs get this context
CONTEXT = {
    "entry.gap": "flow: continuous\n",
    "page.registration_marks": "page:\n  crop_marks: true\n",
    "qr.size": "fields: [title, qr]\n",
    "qr.align": "fields: [title, qr]\n",
    "qr.position": "fields: [title, qr]\n",
    "cover.logo_width": "cover:\n  logo: logo.png\n",
    "cover.logo_position": "cover:\n  logo: logo.png\n",
    "head.logo_height": "head:\n  logo: logo.png\n",
    "page.slug": "page:\n  crop_marks: true\n",
    "head.verso_left": "page:\n  two_sided: true\n",
    "head.verso_right": "page:\n  two_sided: true\n",
    "foot.verso_left": "page:\n  two_sided: true\n",
    "foot.verso_right": "page:\n  two_sided: true\n",
    "entry.keep_lines": "flow: continuous\n",
    "toc.ids": "front:\n  toc: true\n",
    "toc.groups_only": "front:\n  toc: true\norder:\n  group: session\n",
    "order.subgroup": "order:\n  group: day\n",
    "order.groups": "order:\n  group: session\n",
    "page.column_gap": "page:\n  columns: 2\n",
    "back.index_columns": "back:\n  author_index: true\n",
    "labels.contents": "front:\n  toc: true\n",
    "labels.author_index": "back:\n  author_index: true\n",
    "labels.affiliation_index": "back:\n  affiliation_index: true\n",
    "labels.keyword_index": "back:\n  keyword_index: true\n",
    "labels.timetable": "front:\n  timetable: true\n",
    "volume.title": "volume:\n  title_page: true\n",
    "volume.subtitle": "volume:\n  title_page: true\n",
}
with open(os.path.join(WORK, "matter.md"), "w") as f:
    f.write("# A preface\n\nWritten for the test.\n")
with open("tests/data/images/logo.png", "rb") as f, \
        open(os.path.join(WORK, "logo.png"), "wb") as g:
    g.write(f.read())

GROUP_LABELS = {"labels.unscheduled": "day", "labels.no_session": "session",
                "labels.no_track": "track", "labels.no_type": "type"}

keys = subprocess.run([BIN, "--layout-keys"], capture_output=True,
                      text=True).stdout.strip().split("\n")
base, err = dump("")
report = Report("layout-keys")
if base is None:
    print("FAIL layout-keys/baseline: %s" % err[:300])
    sys.exit(1)
for line in keys:
    key, typ, default, _ = line.split("\t")
    value = other(key, typ, default)
    problems = []
    if key == "description":
        # shown by --list-layouts, not on the page
        d = os.path.join(WORK, "dir")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "mine.yaml"), "w") as f:
            f.write("description: Mine, for the test\n")
        out = subprocess.run([BIN, "--list-layouts"], capture_output=True,
                             text=True,
                             env=dict(ENV, CONTRIBOOK_LAYOUTS=d)).stdout
        if "mine                   Mine, for the test" not in out:
            problems.append("--list-layouts does not show it")
    elif key in GROUP_LABELS:
        # shown only as the name of a group's bookmark
        group = "order:\n  group: %s\n" % GROUP_LABELS[key]
        one, _ = dump(group)
        two, err = dump(group + nested(key, value))
        if two is None or one == two or "X" + default not in two:
            problems.append("the group bookmark does not show it " + err[:200])
    elif key == "volume.inputs":
        # two inputs: merged (their ids clash), or a volume of two events
        path = os.path.join(WORK, "k.yaml")
        runs = []
        for v in (default, value):
            with open(path, "w") as f:
                f.write(nested(key, v))
            runs.append(subprocess.run(
                RUN + [BIN, "-q", "--layout", path,
                       "tests/data/volume/workshop-2023.json",
                       "tests/data/volume/workshop-2024.json", "--dump", "-"],
                capture_output=True, env=ENV))
        if runs[0].returncode != 1 or runs[1].returncode != 0 or \
                b"Workshop 2024" not in runs[1].stdout:
            problems.append("two inputs are not two events with %s" % value)
    elif key == "fonts.math":
        # Debian has one TrueType font with a MATH table, so another
        # family can only be refused for lacking one, by name
        path = os.path.join(WORK, "k.yaml")
        with open(path, "w") as f:
            f.write("fonts:\n  math: %s\n" % value)
        p = subprocess.run(RUN + [BIN, "--layout", path,
                                  "tests/data/math/formulas.json", "--dump",
                                  os.devnull], capture_output=True, env=ENV)
        if b'"Noto Serif" has no MATH table' not in p.stderr:
            problems.append("a family without a MATH table is not refused: "
                            + p.stderr.decode()[:200])
    elif key == "page.two_sided":
        # equal margins hide it: compare with unequal ones
        margins = "page:\n  margin_inner: 100pt\n"
        one, _ = dump(margins)
        two, err = dump(margins + "  two_sided: true\n")
        if two is None or one == two:
            problems.append("mirrored margins do not change the even pages "
                            + err[:200])
    else:
        context = CONTEXT.get(key, "")
        fixtures = KEY_FIXTURES.get(key, FIXTURES)
        args = KEY_ARGS.get(key, ())
        before, _ = dump(context, fixtures, args) \
            if context or fixtures != FIXTURES or args else (base, "")
        block = nested(key, value)
        top = key.split(".")[0] + ":\n"
        if context.startswith(top) and block.startswith(top):
            block = block[len(top):]   # one mapping, not the key twice
        got, err = dump(context + block, fixtures, args)
        if got is None:
            problems.append("rejected %s: %s" % (value, err[:200]))
        elif got == before:
            problems.append("setting it to %s changes nothing" % value)
        elif key in EXPECT and EXPECT[key] not in got:
            problems.append("%r not in the output" % EXPECT[key])
        elif typ == "text" and key.startswith("labels.") and \
                key not in EXPECT and "X" + default not in got:
            problems.append("the label %r is not shown" % ("X" + default))
    report(key, problems)
report.exit()
