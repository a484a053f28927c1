#!/bin/bash
# Benchmarks of holos against its floors: every figure is measured beside a baseline doing
# the same job without holos, in the same run, and reported as a ratio (the machines are
# shared and noisy; absolute times do not carry over). Prints the table and writes it as
# JSON. Each figure is a median over repeated rounds, shown with its spread.
#
#   bench/run.sh [--smoke] [--output FILE] BUILD_DIR SOURCE_DIR
#
# Full run (root; 10-40 min, mostly the guest boots under TCG): the generator and seed
# figures on the host (bench/host_bench.py), then one boot of the test machine
# (tests/harness/holos-ns) for ps, up, scale and one real guest for boot to ready, exec and
# memory (bench/machine_bench.py). It takes the VM lock shared with the e2e tests for the
# whole machine part. Writes SOURCE_DIR/bench/results.json unless --output says otherwise.
#
# --smoke (root; well under a minute; no VM lock): the generator, seed, ps, up and scale
# figures run on a tiny scale with 3 rounds, so a broken benchmark shows in CI; the guest
# figures (boot to ready, exec, memory) need a guest and are skipped. The numbers mean
# nothing and go to BUILD_DIR/bench/results-smoke.json.
#
# Nothing is left behind: the test machine is stopped and the work dir removed whatever
# happens (tests/e2e/lib.sh). ps, up and scale check that their projects left no unit,
# process, disk or registration, up also that its baseline left no unit or QEMU, and the
# guest figures check the same once at their end. Exit status 1 when a check failed or a
# figure did not run to its end.
# shellcheck disable=SC2317 # cleanup runs from a trap
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=../tests/e2e/lib.sh
source "$(dirname "$(realpath -- "$0")")/../tests/e2e/lib.sh"

BENCH_DIR=$(dirname "$(realpath -- "$0")")
SMOKE=0
OUTPUT=""

# usage [PROBLEM]
usage() {
    [ -z "${1:-}" ] || echo "bench/run.sh: $1" >&2
    echo "usage: bench/run.sh [--smoke] [--output FILE] BUILD_DIR SOURCE_DIR" >&2
    exit 2
}

# note_load PHASE: the load average as each phase starts goes into results.json.
note_load() {
    echo "$1 $(cut -d' ' -f1-3 /proc/loadavg)" >>"$T/load"
}

# The smoke run needs no guest, so a blank image stands in for the Debian one; e2e_setup
# copies it into the machine's state. It lives in the build dir, so nothing is left
# elsewhere if the setup fails.
smoke_image() {
    HOLOS_TEST_IMAGE=$1/bench/smoke-image.qcow2
    qemu-img create -q -f qcow2 "$HOLOS_TEST_IMAGE" 64M || e2e_die "qemu-img failed"
}

machine_figure() {
    local figure=$1
    shift
    note_load "$figure"
    echo "--- $figure"
    ns python3 "$BENCH_DIR/machine_bench.py" "$figure" --samples "$T/samples.jsonl" \
        --work "$T/machine" --bench-spawn "$BUILD_DIR/bench/bench_spawn" \
        --bench-unit-statuses "$BUILD_DIR/bench/bench_unit_statuses" "$@"
}

# Exit status 1 when any figure failed; the others still run.
machine_figures() {
    local status=0 figure
    if ((SMOKE)); then
        machine_figure ps --rounds 3 --ps-instances 5 || status=1
        machine_figure up --up-instances 2 --up-rounds 1 || status=1
        machine_figure scale --scale-small 1 --scale-large 2 --scale-rounds 1 || status=1
        for figure in boot_to_ready exec memory; do
            echo "{\"figure\": \"$figure\", \"status\": \"not measured: smoke run\"}" \
                >>"$T/samples.jsonl"
        done
        return "$status"
    fi
    for figure in ps up scale guest; do
        machine_figure "$figure" || status=1
    done
    return "$status"
}

# What the numbers were measured on, with the load that the machine's other users added.
write_machine() {
    python3 - "$T/load" "$T/machine.json" "$SMOKE" <<'PY'
import json, os, platform, subprocess, sys
def first_line(argv):
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return None
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if
            l.startswith("model name")), None)
mem_kib = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
loads = {}
for line in open(sys.argv[1]):
    phase, *values = line.split()
    loads[phase] = [float(v) for v in values]
machine = {"cpus": os.cpu_count(), "cpu_model": cpu, "memory_gib": round(mem_kib / 2**20, 1),
           "kernel": platform.release(), "systemd": first_line(["systemctl", "--version"]),
           "qemu": first_line(["qemu-system-x86_64", "--version"]), "accel": "tcg",
           "load_average": loads, "load_average_end": loads.get("end"),
           "note": "shared machine: the load averages show what else ran"}
json.dump(machine, open(sys.argv[2], "w"), indent=2)
PY
}

# Before the VM lock, which can be held by the e2e suite for half an hour: a mistyped
# directory or a missing guest image should fail at once.
check_arguments() {
    [ "$(id -u)" = 0 ] || e2e_die "must run as root (it boots systemd in a namespace)"
    [ -x "$1/ctl/holosctl" ] || e2e_die "$1 is not a holos build directory (no ctl/holosctl)"
    [ -f "$2/bench/run.sh" ] || e2e_die "$2 is not the holos source directory (no bench/run.sh)"
    ((SMOKE)) || [ -f "$HOLOS_TEST_IMAGE" ] || e2e_die "no guest image at $HOLOS_TEST_IMAGE;" \
        "build it with $2/tools/build-guest-image.sh"
}

main() {
    while (($# > 0)); do
        case $1 in
        --smoke) SMOKE=1 ;;
        --output)
            if (($# < 2)) || [[ $2 == -* ]]; then
                usage "--output needs a file"
            fi
            OUTPUT=$2
            shift
            ;;
        -*) usage "unknown option $1" ;;
        *) break ;;
        esac
        shift
    done
    (($# == 2)) || usage "expected BUILD_DIR and SOURCE_DIR, got $# arguments"
    check_arguments "$1" "$2"
    local build source rounds=20 status=0 mode=full host_args=()
    build=$(realpath -- "$1")
    source=$(realpath -- "$2")
    if ((SMOKE)); then
        rounds=3 mode=smoke host_args=(--smoke)
        OUTPUT=${OUTPUT:-$build/bench/results-smoke.json}
    else
        OUTPUT=${OUTPUT:-$source/bench/results.json}
    fi
    OUTPUT=$(realpath -m -- "$OUTPUT")
    # Checked before the lock and the run, whose results would otherwise be lost at the end.
    if ! [ -d "$(dirname "$OUTPUT")" ] || ! [ -w "$(dirname "$OUTPUT")" ]; then
        e2e_die "cannot write $OUTPUT: $(dirname "$OUTPUT") is not a writable directory"
    fi
    if ((SMOKE)); then
        smoke_image "$build"
    else
        e2e_take_vm_lock
    fi

    e2e_setup "$build" "$source"
    if ((SMOKE)); then
        rm -f "$HOLOS_TEST_IMAGE"
    fi
    note_load start
    echo "--- generator, seed"
    python3 "$BENCH_DIR/host_bench.py" "$BUILD_DIR" "$SOURCE_DIR" "$T/host" "$rounds" \
        "$T/samples.jsonl" "${host_args[@]}" || status=1
    machine_figures || status=1
    note_load end

    write_machine
    echo "---"
    python3 "$BENCH_DIR/report.py" "$T/samples.jsonl" "$OUTPUT" "$T/machine.json" \
        --mode "$mode" || status=1
    exit "$status"
}

main "$@"
