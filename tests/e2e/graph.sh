#!/bin/bash
# End-to-end test of the unit graph with examples/three-tier, booted once: dependency order
# from the journal, health in ps and systemctl status (and its change when the probe starts
# failing), the named volume (mounted before provisioning; kept by down, removed by
# down --volumes --yes), the read-only bind mount, start and stop along dependencies,
# kill -9 under restart: always and no, daemon-reload and daemon-reexec restarting nothing,
# and a stop in reverse dependency order that leaves no QEMU and no socket.
#
#   tests/e2e/graph.sh BUILD_DIR SOURCE_DIR     (root; about 6 min; needs the guest image)
#
# The example is copied to the work dir, so the test can change its shared directory.
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

readonly kProject=three-tier
readonly kPrefix=holos-three-tier
readonly kHealth=$kPrefix-db_health@0.service
readonly kWebPort=8180
readonly kBootTimeoutS=300

unit_of() {
    echo "$kPrefix-$1.service"
}

main_pid() {
    ns systemctl show -p MainPID --value "$(unit_of "$1")"
}

# qemu_pid INSTANCE: the host PID of the instance's QEMU.
qemu_pid() {
    pgrep --ns "$NS_PID" --nslist pid -f "guest=$kProject-$1,"
}

in_guest() {
    local instance=$1
    shift
    ns holosctl exec -p "$kProject" -w 60 "$instance" -- "$@"
}

# journal_time ERE: the time (seconds since the epoch) of the first journal line matching,
# counting from JOURNAL_SINCE (seconds since the epoch; 0 at first).
JOURNAL_SINCE=0
journal_time() {
    ns journalctl --no-pager -o short-unix --since "@$JOURNAL_SINCE" |
        grep -E -m1 -- "$1" | cut -d' ' -f1
}

# in_order ERE...: each pattern's first journal line comes strictly after the previous one's.
in_order() {
    local previous="" pattern time
    for pattern in "$@"; do
        time=$(journal_time "$pattern")
        echo "$time  $pattern"
        [ -n "$time" ] || return 1
        if [ -n "$previous" ] && ! awk -v a="$previous" -v b="$time" 'BEGIN { exit !(a < b) }'; then
            return 1
        fi
        previous=$time
    done
}

page_served() {
    curl -fsS --max-time 5 "http://127.0.0.1:$kWebPort/" | grep 'hello from the web tier'
}

ps_health_is() {
    output_has "^$kProject +db-0 +active \(running\) +$1 " ns holosctl ps -p "$kProject"
}

no_qemu_left() {
    local status=0
    pgrep -a --ns "$NS_PID" --nslist pid qemu-system || status=$?
    [ "$status" = 1 ]
}

# ---- phase 1: the whole stack ------------------------------------------------------------

bring_up() {
    local started_us output
    started_us=$(e2e_now_us)
    output=$(ns holosctl up -f "$COMPOSE" 2>&1)
    local status=$?
    echo "    ${output//$'\n'/$'\n'    }"
    if ((status != 0)); then
        e2e_fail "up exits 0 (exit status $status)" "$output"
        return 1
    fi
    e2e_pass "up exits 0 after $(e2e_seconds_since "$started_us") s (db healthy, the rest started)"
    check "up reports db-0 healthy" grep -q "three-tier/db-0 running, healthy" <<<"$output"
}

check_order() {
    check "db's health unit was ready before either api instance started" in_order \
        "Started $kHealth" "Starting $kPrefix-api@[01]\.service"
    check "both api instances started before web" in_order \
        "Started $kPrefix-api@1\.service" "Starting $kPrefix-web@0\.service"
    check "the volume existed before db started" in_order \
        "Finished $kPrefix-volume-dbdata\.service" "Starting $kPrefix-db@0\.service"
}

check_health_shown() {
    check "ps shows db-0 healthy" ps_health_is healthy
    check "ps --json has health only where there is a healthcheck" python3 -c '
import json, subprocess, sys
rows = {r["instance"]: r for r in json.loads(sys.stdin.read())}
assert rows["db-0"]["health"] == "healthy", rows["db-0"]
assert rows["api-0"]["health"] is None and rows["web-0"]["health"] is None
' < <(ns holosctl ps -p "$kProject" --json)
    check "systemctl status of the health unit shows healthy" \
        output_has 'Status: "healthy"' ns systemctl status --no-pager "$kHealth"
}

check_volume() {
    check "the volume is mounted at /var/lib/db from its disk" \
        output_has '^/dev/vd[a-z] ext4$' in_guest db-0 findmnt -n -o SOURCE,FSTYPE /var/lib/db
    check "write_files wrote onto the volume (it was mounted before provisioning)" \
        output_is /var/lib/db in_guest db-0 findmnt -n -o TARGET -T /var/lib/db/schema.sql
    check "runcmd wrote onto the volume" in_guest db-0 test -s /var/lib/db/initialised
    check "fstab mounts the volume by its serial" output_has \
        '^/dev/disk/by-id/virtio-vol-dbdata /var/lib/db ext4 defaults,nofail' \
        in_guest db-0 cat /etc/fstab
    check "data is written to the volume" \
        in_guest db-0 sh -c "echo $TOKEN > /var/lib/db/token && sync"
}

check_bind_mount() {
    wait_until "$kBootTimeoutS" "web serves the page from the shared directory" page_served ||
        return 1
    check "the share is mounted read-only from virtiofs" output_has '^share0 virtiofs ro' \
        in_guest web-0 findmnt -n -o SOURCE,FSTYPE,OPTIONS /srv/www
    echo "added after boot" >"$T/three-tier/site/later.txt"
    check "a file added on the host after boot is visible in the guest" \
        output_is "added after boot" in_guest web-0 cat /srv/www/later.txt
    check "the guest cannot write to the read-only share" \
        bash -c "! $HOLOS_NS run '$STATE' holosctl exec -p $kProject web-0 -- touch /srv/www/x"
    check "nor after remounting it read-write (virtiofsd's side is read-only)" bash -c \
        "! $HOLOS_NS run '$STATE' holosctl exec -p $kProject web-0 -- \
            sh -c 'mount -o remount,rw /srv/www && touch /srv/www/y'"
    check "nothing was written to the shared directory" \
        test ! -e "$T/three-tier/site/x" -a ! -e "$T/three-tier/site/y"
}

check_stop_and_start_along_dependencies() {
    JOURNAL_SINCE=$(date +%s)
    check "stop api says it takes web down" output_has \
        "^stopping api also stops web-0, which depends on it$" \
        ns holosctl stop -p "$kProject" api
    check "web-0 stopped before api-0" in_order \
        "Stopped $kPrefix-web@0\.service" "Stopped $kPrefix-api@0\.service"
    check "db is still running" output_is active ns systemctl is-active "$(unit_of db@0)"
    check "start web starts the api instances it needs first" output_has \
        "^api-0 started \(needed by web\)$" ns holosctl start -p "$kProject" web
    check "every instance runs again" output_is "active
active
active
active" ns systemctl is-active "$(unit_of db@0)" "$(unit_of api@0)" "$(unit_of api@1)" \
        "$(unit_of web@0)"
}

check_health_changes() {
    check "the probe's file is moved away in the guest" \
        in_guest db-0 mv /var/lib/db/initialised /var/lib/db/initialised.off
    wait_until 90 "ps shows db-0 unhealthy after 3 failed probes" ps_health_is unhealthy
    check "systemctl status says why" output_has \
        'Status: "unhealthy: 3 probes failed in a row: exit status 1' \
        ns systemctl status --no-pager "$kHealth"
    check "an unhealthy db takes nothing down" output_is active \
        ns systemctl is-active "$(unit_of api@0)"
    check "the file is put back" \
        in_guest db-0 mv /var/lib/db/initialised.off /var/lib/db/initialised
    wait_until 60 "ps shows db-0 healthy again" ps_health_is healthy
}

# pids_of UNIT...: "unit=MainPID" for each unit.
pids_of() {
    local unit
    for unit in "$@"; do
        echo "$unit=$(ns systemctl show -p MainPID --value "$unit")"
    done
}

check_reloads_restart_nothing() {
    local units before
    units=("$(unit_of db@0)" "$kHealth" "$(unit_of api@0)" "$(unit_of api@1)" "$(unit_of web@0)"
           "$kPrefix-web_virtiofs0@0.service")
    before=$(pids_of "${units[@]}")
    check "daemon-reload succeeds" ns systemctl daemon-reload
    check "daemon-reexec succeeds" ns systemctl daemon-reexec
    check "daemon-reload and daemon-reexec restarted no VM, probe or virtiofsd" \
        output_is "$before" pids_of "${units[@]}"
    check "the health unit still reports to the re-executed manager" \
        output_is "StatusText=healthy" ns systemctl show -p StatusText "$kHealth"
}

# restarted INSTANCE OLD_PID: active again with another QEMU.
restarted() {
    local now
    now=$(main_pid "$1")
    echo "MainPID $now (was $2), $(ns systemctl is-active "$(unit_of "$1")")"
    [ "$now" != 0 ] && [ "$now" != "$2" ] &&
        [ "$(ns systemctl is-active "$(unit_of "$1")")" = active ]
}

# machine_leader_is INSTANCE PID: machined lists the instance with PID as its leader.
machine_leader_is() {
    local leader
    leader=$(ns machinectl show "$kProject-$1" -p Leader --value)
    echo "leader ${leader:-none} (want $2)"
    [ "$leader" = "$2" ]
}

check_kill_under_restart_policies() {
    local web_pid api0_pid db_pid
    web_pid=$(main_pid web@0)
    api0_pid=$(main_pid api@0)
    db_pid=$(main_pid db@0)
    check "web-0's QEMU (restart: always) is killed" kill -9 "$(qemu_pid web-0)"
    wait_until 30 "systemd starts web-0 again" restarted web@0 "$web_pid"
    check "web-0 was restarted once" output_is NRestarts=1 \
        ns systemctl show -p NRestarts "$(unit_of web@0)"
    wait_until 30 "machined lists web-0 with its new QEMU as leader" \
        machine_leader_is web-0 "$(main_pid web@0)"
    check "api-1's QEMU (restart: no) is killed" kill -9 "$(qemu_pid api-1)"
    sleep 5
    check "api-1 stays failed" output_is failed \
        bash -c "$HOLOS_NS run '$STATE' systemctl is-active $(unit_of api@1) || true"
    check "api-1 was not restarted" output_is NRestarts=0 \
        ns systemctl show -p NRestarts "$(unit_of api@1)"
    check "neither kill touched db or api-0" output_is "$db_pid $api0_pid" \
        bash -c "echo \$($HOLOS_NS run '$STATE' systemctl show -p MainPID --value \
            $(unit_of db@0)) \$($HOLOS_NS run '$STATE' systemctl show -p MainPID --value \
            $(unit_of api@0))"
}

# web-0's QEMU is frozen, so it cannot take the power-off request: the stop falls back to
# signals after the grace period. The others power off.
check_down() {
    local started_us
    check "web-0's QEMU is frozen" kill -STOP "$(qemu_pid web-0)"
    JOURNAL_SINCE=$(date +%s)
    started_us=$(e2e_now_us)
    check "down exits 0 and keeps the volume" output_has "its volumes are kept" \
        ns holosctl down -f "$COMPOSE"
    echo "    down returned after $(e2e_seconds_since "$started_us") s"
    check "down stopped web, then api, then db's health unit, then db" in_order \
        "Stopped $kPrefix-web@0\.service" "Stopped $kPrefix-api@0\.service" \
        "Stopped $kHealth" "Stopped $kPrefix-db@0\.service"
    check "db-0 powered off through QMP" output_has "guest powered off after" \
        ns journalctl --no-pager -u "$(unit_of db@0)"
    check "web-0, which could not answer, was terminated" \
        output_has "did not take the power-off request" \
        ns journalctl --no-pager -u "$(unit_of web@0)"
    check "no QEMU is left" no_qemu_left
    check "no socket is left" output_is "" ns find /run/holos -type s
    check "no holos unit is loaded" output_is "" \
        ns systemctl list-units --all 'holos-*' --no-legend
    check "the instance disks are gone" test ! -e "$STATE/lib/instances/$kProject"
    check "the volume is kept" test -s "$STATE/lib/volumes/$kProject/dbdata.qcow2"
}

# ---- phase 2: the volume alone -----------------------------------------------------------

# The same project and volume with db alone: the volume's data must come back without the
# other tiers having to boot again.
write_db_only() {
    cat >"$T/db-only/holos.yaml" <<'YAML'
name: three-tier
volumes:
  dbdata:
    size: 1G
services:
  db:
    image: debian:12
    volumes:
      - "dbdata:/var/lib/db"
    healthcheck:
      test: ["CMD", "test", "-s", "/var/lib/db/initialised"]
      interval: 5s
      timeout: 10s
      start_period: 5m
    vm:
      memory_mb: 512
    cloud_init:
      runcmd:
        - "date -u +%FT%TZ > /var/lib/db/initialised"
YAML
}

check_volume_survives() {
    local started_us
    mkdir -p "$T/db-only" && write_db_only
    started_us=$(e2e_now_us)
    check "up of db alone on the same volume exits 0" ns holosctl up -f "$T/db-only/holos.yaml" ||
        return 1
    echo "    up returned after $(e2e_seconds_since "$started_us") s"
    check "the data written before down is on the volume" output_is "$TOKEN" \
        in_guest db-0 cat /var/lib/db/token
    check "so is the first boot's provisioning output" \
        in_guest db-0 test -s /var/lib/db/schema.sql
    check "down --volumes without --yes and without a terminal refuses" output_has \
        "pass --yes to confirm" bash -c "! $HOLOS_NS run '$STATE' holosctl down \
            -f '$T/db-only/holos.yaml' --volumes </dev/null 2>&1"
    check "the refused down changed nothing" output_is active \
        ns systemctl is-active "$(unit_of db@0)"
    check "down --volumes --yes removes the volume" output_has "^removed volume dbdata$" \
        ns holosctl down -f "$T/db-only/holos.yaml" --volumes --yes
    check "the volume is gone" test ! -e "$STATE/lib/volumes/$kProject"
}

main() {
    local started_us
    e2e_take_vm_lock
    e2e_setup "$@"
    started_us=$(e2e_now_us)
    cp -r "$SOURCE_DIR/examples/three-tier" "$T/three-tier"
    COMPOSE=$T/three-tier/holos.yaml
    TOKEN=token-$RANDOM$RANDOM
    if tcp_port_busy "$kWebPort"; then
        e2e_die "port $kWebPort on 127.0.0.1 is taken"
    fi
    bring_up || e2e_finish
    check_order
    check_health_shown
    check_volume
    check_bind_mount
    check_stop_and_start_along_dependencies
    check_health_changes
    check_reloads_restart_nothing
    check_kill_under_restart_policies
    check_down
    check_volume_survives
    echo "    the whole test took $(e2e_seconds_since "$started_us") s after the machine booted"
    e2e_finish
}

main "$@"
