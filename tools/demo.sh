#!/bin/bash
# The main job: brings up examples/hello on this machine and prints how to reach it.
#
#   tools/demo.sh          install what is needed, build, bring the example up
#   tools/demo.sh down     take it down again
#   tools/demo.sh shell    (private systemd only) a shell where systemctl and holosctl work
#
# Needs root. Where systemd is PID 1, holos is installed into /usr/local and that systemd runs
# the VM. Elsewhere (containers, CI sandboxes) a private systemd is booted in a PID and mount
# namespace by tests/harness/holos-ns, with its holos state under /var/lib/holos-demo.
# HOLOS_ACCEL=tcg selects software emulation (the private systemd uses it by default).
set -euo pipefail
cd "$(dirname "$0")/.."
readonly source_dir=$(pwd)
readonly example=$source_dir/examples/hello/holos.yaml
readonly demo_dir=/var/lib/holos-demo
readonly holos_ns=$source_dir/tests/harness/holos-ns
readonly page_url=http://127.0.0.1:8080/

host_runs_systemd() {
    [ -d /run/systemd/system ] && [ "$(cat /proc/1/comm)" = systemd ]
}

build() {
    tools/install-deps.sh
    echo "building holos (a few minutes the first time)"
    [ -d build-demo ] || meson setup build-demo --prefix=/usr/local >/dev/null
    ninja -C build-demo >/dev/null
}

wait_for_page() {
    echo "waiting for the guest to boot and serve $page_url (30-90 s under emulation)"
    for _ in $(seq 1 300); do
        if curl -fsS --max-time 2 "$page_url" 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    echo "the page did not answer within 300 s; see: $1 journalctl -u holos-hello-web@0.service"
    return 1
}

up_on_host() {
    meson install -C build-demo --quiet
    # Built from Debian packages (cached in /var/cache/holos/build), so nothing is downloaded
    # but packages.
    holosctl image build debian:12
    if [ -n "${HOLOS_ACCEL:-}" ]; then
        mkdir -p /run/holos && echo "accel = $HOLOS_ACCEL" > /run/holos/holos.conf
    fi
    holosctl up -f "$example"
    wait_for_page ""
    echo
    echo "reach it:    curl $page_url"
    echo "inspect it:  holosctl ps; systemctl status holos-hello-web@0.service"
    echo "log in:      ssh -i /var/lib/holos/projects/hello/id_ed25519 -p SSH_PORT debian@127.0.0.1"
    echo "             (SSH_PORT is in the SSH column of holosctl ps)"
    echo "stop it:     tools/demo.sh down"
}

up_in_namespace() {
    # A private systemd left running by an earlier demo uses the installed tree: stop it (its
    # VMs power off through holos) before that tree is replaced.
    "$holos_ns" stop "$demo_dir/state" 2>/dev/null || true
    rm -rf "$demo_dir/destdir"
    meson install -C build-demo --destdir "$demo_dir/destdir" --quiet
    mkdir -p "$demo_dir/state/etc" "$demo_dir/state/lib"
    echo "accel = ${HOLOS_ACCEL:-tcg}" > "$demo_dir/state/etc/holos.conf"
    "$holos_ns" start "$demo_dir/state" "$demo_dir/destdir/usr/local" >/dev/null
    "$holos_ns" run "$demo_dir/state" holosctl image build debian:12
    "$holos_ns" run "$demo_dir/state" holosctl up -f "$example"
    wait_for_page "tools/demo.sh shell, then"
    echo
    echo "reach it:    curl $page_url"
    echo "inspect it:  tools/demo.sh shell   (then holosctl ps, systemctl status ..., journalctl ...)"
    echo "log in:      ssh -i $demo_dir/state/lib/projects/hello/id_ed25519 -p SSH_PORT debian@127.0.0.1"
    echo "             (SSH_PORT is in the SSH column of holosctl ps)"
    echo "stop it:     tools/demo.sh down"
}

down() {
    if host_runs_systemd; then
        holosctl down -f "$example"
        return
    fi
    if [ ! -f "$demo_dir/state/pid" ] || ! "$holos_ns" run "$demo_dir/state" true 2>/dev/null; then
        echo "the demo is not running"
        return 0
    fi
    "$holos_ns" run "$demo_dir/state" holosctl down -f "$example" || true
    "$holos_ns" stop "$demo_dir/state"
    echo "stopped; $demo_dir keeps the installed tree and the image store for the next run"
}

shell() {
    host_runs_systemd && { echo "systemd is PID 1 here: use holosctl directly"; return 0; }
    "$holos_ns" run "$demo_dir/state" true 2>/dev/null || {
        echo "the demo is not running; start it with tools/demo.sh"
        return 0
    }
    "$holos_ns" run "$demo_dir/state" bash -l
}

main() {
    [ "$(id -u)" = 0 ] || { echo "tools/demo.sh: run as root" >&2; exit 1; }
    case ${1:-up} in
    up) build; if host_runs_systemd; then up_on_host; else up_in_namespace; fi ;;
    down) down ;;
    shell) shell ;;
    *) echo "usage: tools/demo.sh [up|down|shell]" >&2; exit 2 ;;
    esac
}

main "$@"
