#!/usr/bin/env python3
"""Runs a command ROUNDS times and prints the median wall time in milliseconds.

    median_time.py ROUNDS CMD...

The command's output is discarded; a failing run stops the measurement with its status.
"""
import statistics
import subprocess
import sys
import time


def main():
    rounds, command = int(sys.argv[1]), sys.argv[2:]
    times_ms = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        times_ms.append((time.perf_counter() - start) * 1000)
        if result.returncode != 0:
            print(f"{command[0]} exited with status {result.returncode}", file=sys.stderr)
            return 1
    print(f"{statistics.median(times_ms):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
