"""What the benchmark scripts share: the samples file and the timers.

Every measurement is appended to one samples file (JSON lines) as it is taken, so a run that
dies halfway still leaves what it measured; bench/report.py turns the file into the table
and bench/results.json. Record kinds:

    {"figure": F, "side": "holos"|"baseline", "value": X}   one sample
    {"figure": F, "info": {...}}                             detail shown with the figure
    {"figure": F, "status": "not measured: ..."}             a figure that could not run
    {"figure": F, "check": "...", "ok": true|false}          an assertion made on the way
"""
import json
import os
import subprocess
import time


class Samples:
    def __init__(self, path):
        self.path = path

    def _append(self, record):
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")

    def add(self, figure, side, values):
        for value in values:
            self._append({"figure": figure, "side": side, "value": value})

    def info(self, figure, **info):
        self._append({"figure": figure, "info": info})

    def status(self, figure, status):
        self._append({"figure": figure, "status": status})

    def check(self, figure, description, ok, detail=""):
        self._append({"figure": figure, "check": description, "ok": bool(ok), "detail": detail})
        print(f"{'ok' if ok else 'FAIL'}: {figure}: {description}"
              + (f" ({detail})" if detail and not ok else ""), flush=True)
        return ok


def run_figure(samples, reported_as, figure):
    """Runs one figure; any error is a failed check of the figures it reports, so the table
    says why they are missing instead of only that they are. Returns the exit status."""
    try:
        return figure() or 0
    except Exception as e:  # pylint: disable=broad-except
        for name in reported_as:
            samples.check(name, "the figure ran to its end", False, f"{type(e).__name__}: {e}")
        return 1


def now_ms():
    return time.monotonic() * 1000


def spawn_rounds(bench_spawn, rounds, work_dir, commands):
    """Runs bench_spawn (bench/bench_spawn.cpp) on argv lists; one sample list per command."""
    argv = [bench_spawn, str(rounds), work_dir]
    for i, command in enumerate(commands):
        argv += ([":::"] if i else []) + command
    result = subprocess.run(argv, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(result.stdout)["samples_ms"]


def run(argv, **kwargs):
    """Runs argv, raising with its output when it fails."""
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            check=False, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {result.returncode}:\n"
                           f"{result.stdout}")
    return result.stdout


def wait_for(predicate, timeout_s, interval_s=0.1):
    """Polls predicate until it is true; returns whether it became true in time."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    return predicate()


def write_file(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
