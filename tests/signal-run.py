#!/usr/bin/env python3
"""signal-run.py SIG DIR LIMIT COMMAND... - runs COMMAND; as soon as a
temporary output file (*.tmp-*) appears in DIR or a folder in it, sends
it signal SIG (TERM, INT, HUP...), as a user or a scheduler would in the
middle of a run. Exits
as a shell reports the command: its status, or 128 + the signal's number;
124 if it had not ended after LIMIT seconds. A helper of tests/cli.sh: a
shell's background job would ignore SIGINT. So would this helper's child
when the suite itself runs as a background job (`make test &`): an ignored
signal stays ignored across exec, so the child gets SIGINT and SIGQUIT back
to their default, as a terminal's foreground job has them."""
import glob
import os
import signal
import subprocess
import sys
import time

sig = getattr(signal, "SIG" + sys.argv[1])
folder, limit, cmd = sys.argv[2], float(sys.argv[3]), sys.argv[4:]


def default_signals():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


child = subprocess.Popen(cmd, preexec_fn=default_signals)
start = time.monotonic()
sent = False
while child.poll() is None:
    if time.monotonic() - start > limit:
        child.kill()
        child.wait()
        sys.exit(124)
    if not sent and glob.glob(os.path.join(folder, "**", "*.tmp-*"), recursive=True):
        child.send_signal(sig)
        sent = True
    time.sleep(0.002)
rc = child.returncode
sys.exit(128 - rc if rc < 0 else rc)
