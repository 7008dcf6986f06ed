"""ahead-gen.py N - N contributions in contribook's own format for the second
composer (src/compose_ahead.c) to meet all it lets go: every seventh a
word too long for a line (a warning of its own), every eleventh a
letter no font has (said once, where it first comes), every thirteenth
in a language without a hyphenation dictionary, every seventeenth a
description of 24 pages (more than AHEAD_MAX_PAGES), every fifth a
formula, and scripts that need fallback faces loaded along the way.
For tests/same-ahead.sh: what is set ahead and placed is what one
composer sets, byte for byte and message for message."""
import json
import sys

n = int(sys.argv[1])
words = ("the quick brown fox jumps over a lazy dog while measuring "
         "instrumentation of hyphenation and photoluminescence").split()
scripts = ["", " Ελληνικά κείμενα", " Кириллица здесь", " नमस्ते दुनिया",
           " مرحبا بالعالم", " 日本語のテキスト", " עברית כאן"]
cs = []
for i in range(n):
    text = " ".join(words[(i + k) % len(words)] for k in range(60))
    text += scripts[i % len(scripts)] if i >= 20 else ""
    c = {"id": i + 1, "title": "Talk %d%s" % (i + 1, scripts[i % 3]),
         "abstract": text,
         "presenters": [{"first": "Ann", "last": "Lee %d" % i,
                         "affiliation": "Lab %d" % (i % 9)}],
         "keywords": ["k%d" % (i % 5), "topic %d" % (i % 3)],
         "session": "Session %d" % (i // 25)}
    if i % 7 == 3:
        c["abstract"] += " " + "x" * 200
    if i % 11 == 5:
        c["abstract"] += " \U0010fffd"
    if i % 13 == 6:
        c["language"] = "qq"
    if i % 17 == 8:
        c["abstract"] = "\n\n".join([text] * 240)
    if i % 5 == 2:
        c["abstract"] += " with $e^{i\\pi} + 1 = 0$ inline"
    cs.append(c)
json.dump({"contribook": 1, "event": {"title": "Ahead"},
           "contributions": cs}, sys.stdout, indent=1, ensure_ascii=False)
