#!/bin/bash
# End-to-end test of the settings that `up` and the units act on, without waiting for a
# guest to boot: variables recorded with the registration, a host port allocated for a
# "GUEST"-only forward and kept by a later `up`, a UDP forward, restart: on-failure after
# QEMU is killed, a daemon-reload that re-runs the generator in another environment and
# restarts nothing, and a short stop grace period.
#
#   tests/e2e/options.sh BUILD_DIR SOURCE_DIR     (root; about 30 s; needs the guest image)
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

readonly kUnit=holos-opts-app@0.service
readonly kRegistration=/run/holos/projects/opts/registration.json

write_project() {
    mkdir -p "$T/opts"
    cat >"$T/opts/holos.yaml" <<'YAML'
name: opts
services:
  app:
    image: debian:12
    restart: on-failure
    stop_grace_period: 2s
    ports:
      - "80"
      - "127.0.0.1:${DNS_PORT:-5300}:53/udp"
    environment:
      GREETING: ${GREETING:?set GREETING}
    vm:
      memory_mb: 256
YAML
    echo "$T/opts/holos.yaml"
}

main_pid() {
    ns systemctl show -p MainPID --value "$kUnit"
}

allocated_port() {
    ns python3 -c "import json; print(json.load(open('$kRegistration'))['allocated_ports']['app-0']['80/tcp'])"
}

# pid_changed OLD: the unit is active again with another QEMU.
pid_changed() {
    local now
    now=$(main_pid)
    echo "MainPID $now (was $1), $(ns systemctl is-active "$kUnit")"
    [ "$now" != 0 ] && [ "$now" != "$1" ] && [ "$(ns systemctl is-active "$kUnit")" = active ]
}

e2e_setup "$@"
e2e_take_vm_lock
file=$(write_project)

check "up refuses without the required variable" \
    output_has "required variable \"GREETING\" is not set" \
    bash -c "! $HOLOS_NS run '$STATE' holosctl up -f '$file' 2>&1"
check "up exits 0" ns env GREETING=hi holosctl up -f "$file"
check "the registration records the variables used" \
    output_has '"GREETING": "hi"' ns cat "$kRegistration"
port=$(allocated_port)
check "a host port was allocated for guest port 80" test -n "$port"
check "ps shows the allocated and the UDP forward" \
    output_has "127.0.0.1:$port->80/tcp, 127.0.0.1:5300->53/udp" ns holosctl ps
check "the unit restarts on failure" output_is on-failure \
    ns systemctl show -p Restart --value "$kUnit"

check "a second up exits 0" ns env GREETING=hi holosctl up -f "$file"
check "the second up keeps the allocated port" output_is "$port" allocated_port

pid=$(main_pid)
check "daemon-reload re-runs the generator" ns systemctl daemon-reload
check "the unit is still loaded after the reload" output_is loaded \
    ns systemctl show -p LoadState --value "$kUnit"
check "the reload restarted nothing" output_is "$pid" main_pid

check "QEMU is killed" kill -9 "$(ns cat "/proc/$pid/status" >/dev/null && \
    pgrep --ns "$NS_PID" --nslist pid -f 'guest=opts-app-0')"
wait_until 30 "systemd starts a new QEMU" pid_changed "$pid"

# Renaming the service: the old instance is stopped and its disk removed, the new one starts.
sed -i 's/^  app:$/  api:/' "$file"
check "up of the renamed service exits 0" \
    output_has "opts/app-0 removed" ns env GREETING=hi holosctl up -f "$file"
check "the old instance's unit is gone" output_is inactive \
    bash -c "$HOLOS_NS run '$STATE' systemctl is-active $kUnit || true"
check "the old instance's QEMU is gone" bash -c "! pgrep --ns $NS_PID --nslist pid -f guest=opts-app-0"
check "the old instance's disk is gone" test ! -e "$STATE/lib/instances/opts/app-0"
check "the new instance runs" output_is active \
    ns systemctl is-active holos-opts-api@0.service

sed -i 's/memory_mb: 256/memory_mb: 320/' "$file"
check "a memory change restarts the instance with its disk kept" \
    output_has "api-0 +restart +vm.memory_mb 256 -> 320; restarts with its disk kept" \
    bash -c "GREETING=hi $HOLOS_NS run '$STATE' holosctl up -f '$file' 2>&1"
check "the restarted QEMU has the new memory size" \
    bash -c "pgrep --ns $NS_PID --nslist pid -a -f guest=opts-api-0 | grep -q -- '-m 320 '"

mkdir -p "$T/elsewhere" && cp "$file" "$T/elsewhere/holos.yaml"
check "the same project name from another file is refused" \
    output_has "project opts is already up from $file" \
    bash -c "! GREETING=hi $HOLOS_NS run '$STATE' holosctl up -f '$T/elsewhere/holos.yaml' 2>&1"

start=$(e2e_now_us)
check "down exits 0" ns holosctl down -f "$file"
echo "    down returned after $(e2e_seconds_since "$start") s"
check "no holos unit is loaded" output_is "" \
    ns systemctl list-units --all 'holos-*' --no-legend
e2e_finish
