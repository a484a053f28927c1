#!/bin/bash
# Fuzzes the holos.yaml parser with libFuzzer for a bounded time.
#
#   tools/fuzz.sh [SECONDS]     (default 60)
#
# Builds build-fuzz with clang++, the whole library instrumented for coverage and with address
# and undefined-behaviour sanitizers, seeds a throw-away corpus from the examples, samples,
# golden files and known regressions, and runs one fuzzing job. A crash, leak or timeout fails
# the run; the input that caused it is copied to tests/fuzz/regressions/, where the unit suite
# (test_fuzz_regressions) replays it on every build from then on.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
build=build-fuzz
if [ ! -d "$build" ]; then
    CXX=clang++ CXXFLAGS="-fsanitize=fuzzer-no-link" \
        meson setup "$build" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
        -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$build" tests/fuzz/fuzz_parse

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
n=0
for seed in examples/*/holos.yaml tests/samples/*.yaml tests/golden/*/holos.yaml \
    tests/fuzz/regressions/*; do
    [ -f "$seed" ] || continue
    cp "$seed" "$work/corpus/seed-$n"
    n=$((n + 1))
done
echo "fuzzing for ${seconds}s from $n seeds"

# -rss_limit_mb and -timeout turn runaway memory and hangs into failures with a saved input.
set +e
"$build/tests/fuzz/fuzz_parse" "$work/corpus" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" >"$work/log" 2>&1
status=$?
set -e
if [ "$status" -ne 0 ]; then
    tail -n 60 "$work/log"
else
    grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::|Done )' "$work/log" || tail -n 5 "$work/log"
fi

found=0
for artifact in "$work"/artifacts/*; do
    [ -f "$artifact" ] || continue
    name="$(basename "$artifact")"
    cp "$artifact" "tests/fuzz/regressions/$name"
    echo "fuzz: saved tests/fuzz/regressions/$name"
    found=1
done
if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
    echo "fuzz: failed (exit $status); add the saved inputs to git after fixing the parser" >&2
    exit 1
fi
echo "fuzz: no crash, leak or timeout in ${seconds}s"
