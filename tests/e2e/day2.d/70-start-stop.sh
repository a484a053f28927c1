# shellcheck shell=bash
# holosctl stop, start and restart: through systemd, waiting for the jobs, disks kept.
# shellcheck disable=SC2317 # the predicates below are called through check
# shellcheck disable=SC2154 # kProject, kInstance and kUnit come from day2.sh

stopped_with_disk_kept() {
    local state
    state=$(ns systemctl is-active "$kUnit")
    echo "$kUnit: $state"
    [ "$state" = inactive ] && [ -s "$STATE/lib/instances/$kProject/$kInstance/overlay.qcow2" ] &&
        ! pgrep -f "guest=$kProject-$kInstance," >/dev/null
}

restarted_with_new_pid() {
    local before after
    before=$(ns systemctl show -p MainPID --value "$kUnit")
    ns holosctl restart -p "$kProject" "$kInstance" || return 1
    after=$(ns systemctl show -p MainPID --value "$kUnit")
    echo "MainPID $before -> $after"
    [ "$after" != 0 ] && [ "$after" != "$before" ]
}

start_stop_checks() {
    check "stop web waits for the job" output_is "$kInstance stopped" \
        ns holosctl stop -p "$kProject" web
    check "the unit is inactive, QEMU gone, the disk kept" stopped_with_disk_kept
    check "ps shows it inactive" output_has "^hello +$kInstance +inactive" \
        ns holosctl ps -p "$kProject"
    check "start web waits for the job" output_is "$kInstance started" \
        ns holosctl start -p "$kProject" web
    check "the unit is active again" output_is active ns systemctl is-active "$kUnit"
    wait_until 240 "the guest answers over SSH after start" ssh_answers
    check "restart runs a new QEMU" restarted_with_new_pid
    wait_until 240 "the guest answers over SSH after restart" ssh_answers
    check "files written before the restart are still there" \
        ns holosctl exec -p "$kProject" "$kInstance" -- test -s /root/blob
}

start_stop_checks
