#!/usr/bin/env python3
"""hostile-gen.py FILE [KEY=PYTHON-EXPRESSION]... - writes an Indico export
with one contribution to FILE, for the hostile cases of tests/cli/*.test.
Each KEY sets a field of the contribution (title, description, keywords,
references...) to the value of the Python expression; 'event.KEY' sets a
field of the event; 'author.KEY' a field of its one primary author; 'event[]=EXPR' adds an
unknown key named EXPR to the event;
'contributions=N' repeats the contribution N times (ids 1..N); 'raw=EXPR'
writes the string EXPR gives instead of JSON. Unicode data files of
Debian's unicode-data are read by emoji_sequences()."""
import json
import sys


def emoji_sequences():
    """Every sequence of Unicode's emoji-sequences and emoji-zwj-sequences."""
    seqs = []
    for name in ("emoji-sequences.txt", "emoji-zwj-sequences.txt"):
        for line in open("/usr/share/unicode/emoji/" + name, encoding="utf-8"):
            line = line.split("#")[0].strip()
            if not line:
                continue
            codes = line.split(";")[0].strip()
            if ".." in codes:
                a, b = (int(x, 16) for x in codes.split(".."))
                seqs.extend(chr(c) for c in range(a, b + 1))
            else:
                seqs.append("".join(chr(int(c, 16)) for c in codes.split()))
    return seqs


path = sys.argv[1]
event = {"title": "Hostile Input Meeting", "contributions": []}
contrib = {"id": "1", "title": "A contribution", "description": "Text.",
           "speakers": [], "coauthors": [],
           "primaryauthors": [{"first_name": "Ada", "last_name": "Lovelace",
                               "affiliation": "Analytical Engines"}]}
count, raw = 1, None
for arg in sys.argv[2:]:
    key, expr = arg.split("=", 1)
    value = eval(expr, {"emoji_sequences": emoji_sequences})
    if key == "contributions":
        count = value
    elif key == "raw":
        raw = value
    elif key == "event[]":  # a key of the event named by the value
        event[value] = 1
    elif key.startswith("event."):
        event[key[6:]] = value
    elif key.startswith("author."):
        contrib["primaryauthors"][0][key[7:]] = value
    else:
        contrib[key] = value
for i in range(count):
    c = dict(contrib, id=str(i + 1))
    event["contributions"].append(c)
with open(path, "w", encoding="utf-8") as f:
    if raw is not None:
        f.write(raw)
    else:
        json.dump({"count": 1, "results": [event]}, f, ensure_ascii=False)
