#!/usr/bin/env python3
"""Drive a command through a pseudo-terminal, as a person at a terminal would.

    pty_session.py [--timeout S] -- COMMAND... < SCRIPT

SCRIPT has one step per line: "expect REGEX" waits until the output so far matches REGEX
(Python syntax) since the previous match; "send TEXT" types TEXT, with \\r, \\n, \\x1d and
similar escapes decoded; "wait S" pauses. After the script the command must exit; the
transcript goes to stderr and the exit status is the command's, or 124 when a step or the
exit timed out.
"""
import argparse
import codecs
import os
import pty
import re
import select
import sys
import time


def read_some(fd, timeout):
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return b""
    try:
        return os.read(fd, 4096)
    except OSError:  # EIO: the command closed the terminal
        return None


def run(argv, steps, timeout):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    seen = b""
    start = 0
    for verb, arg in steps:
        if verb == "send":
            os.write(fd, codecs.decode(arg, "unicode_escape").encode("latin-1"))
        elif verb == "wait":
            time.sleep(float(arg))
        elif verb == "expect":
            deadline = time.monotonic() + timeout
            pattern = re.compile(arg.encode())
            while not (match := pattern.search(seen, start)):
                chunk = read_some(fd, max(0.0, deadline - time.monotonic()))
                if chunk is None or time.monotonic() >= deadline:
                    sys.stderr.write(seen.decode(errors="replace"))
                    sys.stderr.write(f"\n[pty_session: no match for /{arg}/]\n")
                    return 124
                seen += chunk
            start = match.end()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            while (chunk := read_some(fd, 0.2)):
                seen += chunk
            sys.stderr.write(seen.decode(errors="replace"))
            return os.waitstatus_to_exitcode(status)
        chunk = read_some(fd, 0.2)
        if chunk:
            seen += chunk
    sys.stderr.write(seen.decode(errors="replace"))
    sys.stderr.write("\n[pty_session: the command did not exit]\n")
    return 124


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    steps = []
    for line in sys.stdin.read().splitlines():
        if line.strip():
            verb, _, arg = line.partition(" ")
            steps.append((verb, arg))
    sys.exit(run(args.command, steps, args.timeout))


if __name__ == "__main__":
    main()
