#!/bin/bash
# End-to-end test of boot start and of the instance sandbox, around one simulated reboot:
# the test machine is powered off and booted again with the same /etc/holos and
# /var/lib/holos (its /run is fresh, as after a real reboot).
#
# Project "keep" is installed with --enable and brought up; a file is written in its guest.
# Project "gone" is only brought up. While both run, the sandbox is checked: QEMU runs as an
# unprivileged dynamic user with no capabilities, under seccomp, registered with
# systemd-machined, and `systemd-analyze security` scores the unit no worse than the figure
# the README records. At power-off the guest shuts down cleanly; after the boot "keep" runs
# again from the same disk, with the file, and "gone" is not registered and does not run.
#
#   tests/e2e/reboot.sh BUILD_DIR SOURCE_DIR     (root; about 3 min; needs the guest image)
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

readonly kKeepUnit=holos-keep-app@0.service
readonly kGoneUnit=holos-gone-app@0.service
readonly kSshTimeoutS=240
readonly kKeepPort=8380

write_project() {
    local name=$1 port=$2 grace=$3
    mkdir -p "$T/$name"
    cat >"$T/$name/holos.yaml" <<YAML
name: $name
services:
  app:
    image: debian:12
    stop_grace_period: $grace
    ports:
      - "$port:80"
    vm:
      vcpu: 2
      memory_mb: 512
YAML
    echo "$T/$name/holos.yaml"
}

ssh_answers() {
    ns holosctl exec -p keep -w 5 app-0 -- true
}

main_pid() {
    ns systemctl show -p MainPID --value "$1"
}

# The exposure score the README records for an instance unit, e.g. 1.2.
recorded_exposure() {
    sed -n 's/.*Overall exposure level for holos-hello-web@0.service: \([0-9.]*\).*/\1/p' \
        "$SOURCE_DIR/README.md" | head -n 1
}

exposure_not_worse() {
    local recorded measured
    recorded=$(recorded_exposure)
    measured=$(ns systemd-analyze security --no-pager "$kKeepUnit" |
        sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    echo "systemd-analyze security: $measured (README records $recorded)"
    [ -n "$recorded" ] && [ -n "$measured" ] &&
        python3 -c "import sys; sys.exit(float('$measured') > float('$recorded'))"
}

# QEMU of "keep": not root, no capabilities, no new privileges, seccomp on.
qemu_is_confined() {
    local status
    status=$(cat "/proc/$(pgrep --ns "$NS_PID" --nslist pid -f 'guest=keep-app-0')/status") || return 1
    grep -E '^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):' <<<"$status"
    grep -qE '^Uid:\s+([1-9][0-9]*)\s' <<<"$status" &&
        grep -qE '^CapEff:\s+0+$' <<<"$status" && grep -qE '^CapBnd:\s+0+$' <<<"$status" &&
        grep -qE '^NoNewPrivs:\s+1$' <<<"$status" && grep -qE '^Seccomp:\s+2$' <<<"$status"
}

# The projects holosctl ps lists, on one line.
listed_projects() {
    ns holosctl ps --json |
        python3 -c 'import json, sys; print(*sorted({r["project"] for r in json.load(sys.stdin)}))'
}

# Shutdown stops units in the reverse order of After=, so QEMU stops before these go away.
ordered_after_its_needs() {
    local after unit
    after=$(ns systemctl show -p After --value "$kKeepUnit" | tr ' ' '\n')
    for unit in holos-keep-keys.service network.target systemd-machined.service \
        var-lib-holos.mount; do
        grep -qxF -- "$unit" <<<"$after" || { echo "After= lacks $unit:"; echo "$after"; return 1; }
    done
}

installed_links_exist() {
    ns test -L /run/systemd/generator/multi-user.target.wants/holos-keep.target &&
        ns test -L /run/systemd/generator/holos.target.wants/holos-keep.target
}

no_qemu_of() {
    local status=0
    pgrep -a --ns "$NS_PID" --nslist pid -f "guest=$1" || status=$?
    [ "$status" = 1 ]
}

before_reboot() {
    check "install --enable exits 0" \
        output_has "installed in /etc/holos/projects/keep, started at boot by multi-user.target" \
        ns holosctl install --enable -f "$KEEP"
    check "the generator links keep into multi-user.target and holos.target" installed_links_exist
    check "up of the installed project exits 0" ns holosctl up -f "$KEEP" || return 1
    check "up keeps the registration installed" \
        bash -c "$HOLOS_NS run '$STATE' test -d /etc/holos/projects/keep &&
                 ! $HOLOS_NS run '$STATE' test -e /run/holos/projects/keep"
    check "ps --json marks keep installed and started at boot" \
        output_has '"installed": true, "start_at_boot": true' \
        bash -c "$HOLOS_NS run '$STATE' holosctl ps -p keep --json | tr -d '\n' | tr -s ' '"
    check "QEMU runs unprivileged, without capabilities, under seccomp" qemu_is_confined
    check "the instance is ordered after what it needs at shutdown" ordered_after_its_needs
    # The registration follows the project's start rather than delaying it.
    wait_until 30 "machinectl lists the VM as a machine of class vm" \
        output_has '^keep-app-0 +vm +holos' ns machinectl list --no-legend
    check "systemd-analyze security is no worse than the README's figure" exposure_not_worse
    wait_until "$kSshTimeoutS" "the guest answers over SSH" ssh_answers || return 1
    check "a file is written in the guest" \
        ns holosctl exec -p keep app-0 -- sh -c "echo $MARKER >/var/tmp/marker && sync"
    # Started only now, so the two guests do not share the CPUs while "keep" boots.
    check "up of the project that is not installed exits 0" ns holosctl up -f "$GONE"
    OVERLAY_INODE=$(stat -c %i "$STATE/lib/instances/keep/app-0/overlay.qcow2")
}

reboot_machine() {
    local started_us
    started_us=$(e2e_now_us)
    check "the test machine powers off" "$HOLOS_NS" stop "$STATE" || return 1
    echo "    powered off after $(e2e_seconds_since "$started_us") s"
    check "the guest shut down cleanly at power-off" \
        file_has 'reboot: Power down' "$STATE/lib/instances/keep/app-0/console.log"
    check "the instance files went back to root at power-off" \
        output_is "0" stat -c %u "$STATE/lib/instances/keep/app-0/overlay.qcow2"
    started_us=$(e2e_now_us)
    NS_PID=$("$HOLOS_NS" start "$STATE" "$PREFIX") || e2e_die "the test machine did not boot again"
    echo "    booted again after $(e2e_seconds_since "$started_us") s (pid $NS_PID)"
}

after_reboot() {
    check "the installed project's instance runs after the boot" \
        output_is active ns systemctl is-active "$kKeepUnit"
    check "it started from the same overlay" \
        output_is "$OVERLAY_INODE" stat -c %i "$STATE/lib/instances/keep/app-0/overlay.qcow2"
    wait_until "$kSshTimeoutS" "the guest answers over SSH again" ssh_answers &&
        check "the file written before the reboot is there" \
            output_is "$MARKER" ns holosctl exec -p keep app-0 -- cat /var/tmp/marker
    check "the project that was not installed is not registered" \
        ns test ! -e /run/holos/projects/gone
    check "ps lists keep and not gone" output_is "keep" listed_projects
    check "its unit is not active" output_is inactive \
        bash -c "$HOLOS_NS run '$STATE' systemctl is-active $kGoneUnit || true"
    check "its instance does not run" no_qemu_of gone-app-0
    check "down -p gone removes the disks it left" \
        output_has "removed its instance disks" ns holosctl down -p gone
}

uninstall_and_down() {
    check "uninstall exits 0" output_has "uninstalled" ns holosctl uninstall -p keep
    check "uninstall moved the registration back under /run" \
        ns test -d /run/holos/projects/keep
    check "the boot links are gone" \
        ns test ! -e /run/systemd/generator/multi-user.target.wants/holos-keep.target
    check "the instance kept running through uninstall" \
        output_is active ns systemctl is-active "$kKeepUnit"
    check "a second uninstall has nothing to do" \
        output_has "is not installed; nothing to do" ns holosctl uninstall -p keep
    check "down exits 0" ns holosctl down -p keep
    check "no QEMU is left" no_qemu_of keep-app-0
    check "the machine is unregistered" output_is "" ns machinectl list --no-legend
}

main() {
    e2e_take_vm_lock
    e2e_setup "$@"
    KEEP=$(write_project keep "$kKeepPort" 30s)
    GONE=$(write_project gone $((kKeepPort + 1)) 2s)
    MARKER="written before the reboot at $(date +%s)"
    local started_us
    started_us=$(e2e_now_us)
    before_reboot || e2e_finish
    reboot_machine || e2e_finish
    after_reboot
    uninstall_and_down
    echo "    whole test: $(e2e_seconds_since "$started_us") s"
    e2e_finish
}

main "$@"
