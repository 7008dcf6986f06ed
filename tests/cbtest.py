"""Helpers shared by the Python checks in tests/ (book.py, typography.py,
layout-keys.py, pdfcheck.py): running programs as the suite does, and the
PASS/FAIL lines that tests/run.sh counts."""
import os
import re
import subprocess
import sys

# a command prefix such as valgrind (tests/run.sh sets it), and the fixed
# generation date that makes every output reproducible
RUN = os.environ.get("CB_RUN", "").split()
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def run(cmd):
    """Runs cmd; returns (exit status, stdout, stderr), decoded as UTF-8."""
    p = subprocess.run(cmd, capture_output=True, env=ENV)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


class Report:
    """Prints "PASS prefix/name" or "FAIL prefix/name: problems" per check
    and remembers whether any failed."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.failed = 0

    def __call__(self, name, problems):
        if problems:
            self.failed += 1
            print("FAIL %s/%s: %s" % (self.prefix, name,
                                      "; ".join(problems[:5])))
        else:
            print("PASS %s/%s" % (self.prefix, name))
        sys.stdout.flush()

    report = __call__

    def exit(self):
        sys.exit(1 if self.failed else 0)
