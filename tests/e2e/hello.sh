#!/bin/bash
# End-to-end test of the walking skeleton with examples/hello: `holosctl up` boots one real
# Debian guest under QEMU/TCG as a unit of a real systemd, cloud-init writes a page, the host
# reads it through the forwarded port, and `holosctl down` leaves nothing behind. Twice, since
# a second `up` of the same project must work as well as the first; the second time without
# D-Bus.
#
#   tests/e2e/hello.sh BUILD_DIR SOURCE_DIR     (root; 2-4 min; needs the guest image)
#
# Not `set -e`: a failed check is counted and reported, and the steps that depend on it are
# skipped; the summary decides the exit status.
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

readonly kUnit=holos-hello-web@0.service
readonly kPort=8080
readonly kPageTimeoutS=240

page_served() {
    curl -fsS --max-time 5 "http://127.0.0.1:$kPort/" | grep 'hello from holos'
}

# ps must show the project, the instance, its state and the forwarded port.
ps_shows_instance() {
    local output word
    output=$(ns holosctl ps) || { echo "$output"; return 1; }
    echo "$output"
    for word in hello web-0 "$kPort"; do
        grep -q -- "$word" <<<"$output" || return 1
    done
    grep -qE 'active|running' <<<"$output"
}

# holosctl reaches systemd over /run/systemd/private and never needs D-Bus; the instance
# units use the bus only to register with systemd-machined. With the bus stopped, holosctl
# must keep working, and a VM that cannot register must still run (the second round).
stop_the_bus() {
    ns systemctl stop dbus.socket dbus.service
}

# QEMU processes of this test machine only: other jobs on the host may run their own.
no_qemu_left() {
    local status=0
    pgrep -a --ns "$NS_PID" --nslist pid qemu-system || status=$?
    [ "$status" = 1 ]
}

# up_and_serve ROUND: `up`, then the page; prints how long each took.
up_and_serve() {
    local round=$1 started_us
    started_us=$(e2e_now_us)
    check "$round up exits 0" ns holosctl up -f "$COMPOSE" || return 1
    echo "    up returned after $(e2e_seconds_since "$started_us") s"
    wait_until "$kPageTimeoutS" "$round the page answers on 127.0.0.1:$kPort" page_served ||
        return 1
    echo "    page served $(e2e_seconds_since "$started_us") s after up started"
}

inspect_running() {
    check "ps shows hello, web-0, active and $kPort" ps_shows_instance
    check "$kUnit is active" output_is active ns systemctl is-active "$kUnit"
    check "the unit runs qemu-system-x86_64" output_has qemu-system-x86_64 \
        ns systemctl cat "$kUnit"
    check "the journal of the unit shows its start" \
        output_has "(Starting|Started) ${kUnit//./\\.}" \
        ns journalctl -u "$kUnit" --no-pager
    check "machinectl lists the VM as a machine of class vm" \
        output_has '^hello-web-0 +vm +holos' ns machinectl list --no-legend
    check "D-Bus is stopped" stop_the_bus
    check "holosctl ps works without D-Bus" ps_shows_instance
}

down_and_check() {
    local round=$1 started_us
    started_us=$(e2e_now_us)
    check "$round down exits 0" ns holosctl down -f "$COMPOSE"
    echo "    down returned after $(e2e_seconds_since "$started_us") s"
    check "no holos unit is loaded" output_is "" \
        ns systemctl list-units --all 'holos-*' --no-legend
    check "overlays and seeds are gone" test ! -e "$STATE/lib/instances/hello"
    check "the registration is gone" ns test ! -e /run/holos/projects/hello
    check "no QEMU is left" no_qemu_left
}

main() {
    e2e_take_vm_lock
    e2e_setup "$@"
    COMPOSE=$SOURCE_DIR/examples/hello/holos.yaml
    if tcp_port_busy "$kPort"; then
        e2e_die "port $kPort on 127.0.0.1 is taken; is another hello test running?"
    fi

    if up_and_serve first; then
        inspect_running
    fi
    down_and_check first

    up_and_serve second
    down_and_check second
    e2e_finish
}

main "$@"
