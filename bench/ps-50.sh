#!/bin/bash
# Benchmark of holosctl ps over 50 instances, against a baseline measured in the same run.
# A 50-replica project is registered in the test machine (tests/harness/holos-ns) with a
# drop-in that replaces QEMU by `sleep infinity`, so 50 units are active, with cgroups whose
# memory and CPU systemd reads, without booting a single guest. Then, each as a median:
#
#   holosctl ps -p bench                 against `systemctl show` of the same 50 units and
#                                        properties (one process, one unit after another)
#   SystemdManager::unit_statuses        against 50 calls of unit_state (the per-unit path
#                                        ps used before), in one process on one connection
#
#   bench/ps-50.sh BUILD_DIR SOURCE_DIR      (root; about 30 s; no guest image needed)
# shellcheck disable=SC2317 # active_count is called through check
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=../tests/e2e/lib.sh
source "$(dirname "$(realpath -- "$0")")/../tests/e2e/lib.sh"

readonly kProject=bench
readonly kReplicas=50
readonly kRounds=20
kProperties=LoadState,ActiveState,SubState,Result,StatusText,MainPID
readonly kProperties=$kProperties,ActiveEnterTimestamp,MemoryCurrent,CPUUsageNSec

# The image is never read: the drop-in below replaces both the disk preparation and QEMU.
make_fake_image() {
    HOLOS_TEST_IMAGE=/var/tmp/holos-bench-image.qcow2
    qemu-img create -q -f qcow2 "$HOLOS_TEST_IMAGE" 64M || e2e_die "qemu-img failed"
}

write_project() {
    mkdir -p "$T/bench"
    cat >"$T/bench/holos.yaml" <<YAML
name: $kProject
services:
  web:
    image: debian:12
    replicas: $kReplicas
    ports:
      - "80"
YAML
}

# Sorted after the generator's 50-qemu.conf, so its ExecStart= wins. Without the steps
# around QEMU either: no disk to prepare, no machine to register with systemd-machined.
install_no_vm_dropin() {
    ns sh -c "mkdir -p /run/systemd/system/holos-$kProject-web@.service.d &&
        cat >/run/systemd/system/holos-$kProject-web@.service.d/90-no-vm.conf" <<'CONF'
[Service]
ExecStartPre=
ExecStartPost=
ExecStart=
ExecStart=/bin/sleep infinity
ExecStop=
ExecStopPost=
CONF
}

units() {
    local i
    for ((i = 0; i < kReplicas; i++)); do
        echo "holos-$kProject-web@$i.service"
    done
}

active_count() {
    ns holosctl ps -p "$kProject" | grep -c 'active (running)'
}

median_ms() {
    ns python3 "$SOURCE_DIR/bench/median_time.py" "$kRounds" "$@"
}

main() {
    local ps_ms show_ms ps_json_ms unit_list
    make_fake_image
    e2e_setup "$@"
    write_project
    install_no_vm_dropin
    check "up of $kReplicas replicas exits 0" ns holosctl up -f "$T/bench/holos.yaml" ||
        e2e_finish
    check "ps lists $kReplicas active instances" output_is "$kReplicas" active_count
    mapfile -t unit_list < <(units)

    ps_ms=$(median_ms holosctl ps -p "$kProject") || e2e_die "timing ps failed"
    ps_json_ms=$(median_ms holosctl ps -p "$kProject" --json) || e2e_die "timing ps failed"
    show_ms=$(median_ms systemctl show -p "$kProperties" "${unit_list[@]}") ||
        e2e_die "timing systemctl show failed"
    echo "$kReplicas instances, median of $kRounds runs:"
    echo "  holosctl ps:                  $ps_ms ms"
    echo "  holosctl ps --json:           $ps_json_ms ms"
    echo "  systemctl show (baseline):    $show_ms ms"
    echo "  ps / systemctl show:          $(python3 -c "print(f'{$ps_ms / $show_ms:.2f}')")"
    ns "$BUILD_DIR/bench/bench_unit_statuses" "$kRounds" "${unit_list[@]}"
    check "ps of $kReplicas instances takes under a second" \
        python3 -c "import sys; sys.exit(0 if $ps_ms < 1000 else 1)"
    check "down exits 0" ns holosctl down -f "$T/bench/holos.yaml"
    e2e_finish
}

main "$@"
