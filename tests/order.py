#!/usr/bin/env python3
"""A programme in time order, as an organizer reads it: usage order.py
BINARY INPUT.json... Sets each input with programme-a5 (days, then
sessions) and reads the display list back: within each day, every group
(a session, or a contribution without one) starts no earlier than the one
before it, its start being the time of the slot line under its heading.
Sessions sorted by name put a 14:10 session before a 09:15 one. Prints
PASS/FAIL lines."""
import os
import re
import subprocess
import sys

from cbtest import ENV, RUN, Report

BIN = sys.argv[1]
report = Report("order")

OUTLINE = re.compile(r'^outline level=(\d+) page=\d+ y=[\d.]+ "(.*)"$')
TEXT = re.compile(r'^  text at=\S+ font=\S+ size=\S+(?: color=\S+)? "(.*)"$')
BLOCK = re.compile(r'^  block (\S+) id=\d+$')
# the roles of group headings (day, session) and of headings in a text
HEADINGS = {"H", "Group0", "Group1"}
TIME = re.compile(r'^(\d\d):(\d\d)')


def check(source):
    p = subprocess.run(RUN + [BIN, "-q", "--layout", "programme-a5", source,
                              "--dump", "-"], capture_output=True, env=ENV)
    if p.returncode != 0:
        return ["contribook exited with %d" % p.returncode]
    lines = p.stdout.decode("utf-8").splitlines()
    days, groups = set(), set()
    for ln in lines:
        m = OUTLINE.match(ln)
        if m:
            (days if m.group(1) == "1" else groups).add(m.group(2))
    problems = []
    day, group, role, last = None, None, None, None
    for ln in lines:
        m = BLOCK.match(ln)
        if m:
            role = m.group(1)
            continue
        m = TEXT.match(ln)
        if not m:
            continue
        text = m.group(1)
        if role in HEADINGS and text in days:
            day, last, group = text, None, None
        elif role in HEADINGS and text in groups:
            group = text
        elif role == "Meta" and group is not None:
            t = TIME.match(text)
            if t and day is not None:
                minutes = int(t.group(1)) * 60 + int(t.group(2))
                if last is not None and minutes < last[0]:
                    problems.append("%s: %r (%s) after %r (%02d:%02d)" % (
                        day, group, t.group(0), last[1], last[0] // 60,
                        last[0] % 60))
                last = (minutes, group)
            group = None  # the group's first slot only
        role = None
    return problems


inputs = [a for a in sys.argv[2:] if os.path.exists(a)]
for source in inputs:
    name = os.path.splitext(os.path.basename(source))[0]
    report("programme-time-order/" + name, check(source))
sys.exit(1 if report.failed else 0)
