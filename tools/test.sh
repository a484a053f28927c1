#!/bin/bash
# Runs every test: installs the build dependencies, builds with warnings as errors, builds (or
# reuses) the Debian guest image, then runs the unit, golden and end-to-end suites, and a
# smoke run of the benchmarks (no guest; their numbers are not judged, only that they run);
# in CI (CI set) it also fuzzes the parser for 60 seconds.
#
#   tools/test.sh [meson test arguments, e.g. --suite unit]
#
# Needs root: the end-to-end suite boots a private systemd and real VMs.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
if [ -d build-test ]; then
    meson setup --reconfigure build-test --werror >/dev/null
else
    meson setup build-test --werror
fi
ninja -C build-test
tools/build-guest-image.sh
meson test -C build-test --print-errorlogs "$@"
# Only for a whole run: a slice (--suite unit) stays a slice.
if [ $# -eq 0 ]; then
    bench/run.sh --smoke build-test .
fi
# CI also fuzzes the parser for a minute; locally, run tools/fuzz.sh when touching it.
if [ -n "${CI:-}" ]; then
    tools/fuzz.sh 60
fi
