#!/bin/bash
# End-to-end test of `up` on a running project: each edit does what the plan says and no
# more. Two small guests, a and b, boot once; then
#
#   memory of a       a restarts with its disk (a file written before is still there), b not
#   runcmd of a       a is stale and keeps running; up --recreate a re-provisions a alone
#   replicas of b     1 -> 2 -> 1 -> 3 create and remove exactly the replicas planned
#   two ups at once   the second waits for the first; --lock-timeout 0 fails naming it
#   kill -9 of up     the next up converges
#
#   tests/e2e/converge.sh BUILD_DIR SOURCE_DIR     (root; 6-10 min; needs the guest image)
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

readonly kProject=conv
readonly kBootTimeoutS=300

# write_project A_MEMORY A_RUNCMD B_REPLICAS
write_project() {
    cat >"$T/conv/holos.yaml" <<YAML
name: $kProject
services:
  a:
    image: debian:12
    stop_grace_period: 20s
    vm: {vcpu: 1, memory_mb: $1}
    cloud_init:
      runcmd: ["$2"]
  b:
    image: debian:12
    replicas: $3
    stop_grace_period: 3s
    vm: {vcpu: 1, memory_mb: 512}
YAML
}

up() {
    ns holosctl up -f "$T/conv/holos.yaml" "$@"
}

in_guest() {
    local instance=$1
    shift
    ns holosctl exec -p "$kProject" -w 5 "$instance" -- "$@"
}

main_pid() {
    ns systemctl show -p MainPID --value "holos-$kProject-$1@$2.service"
}

provisioned() {
    in_guest "$1" cloud-init status --wait
}

# What the guest's kernel sees, in MiB: a little less than the VM's memory.
guest_memory_mib() {
    in_guest a sh -c 'echo $(($(sed -n "s/MemTotal: *\([0-9]*\) kB/\1/p" /proc/meminfo) / 1024))'
}

has_more_memory_than_before() {
    local mib
    mib=$(guest_memory_mib) || return 1
    echo "MemTotal: $mib MiB"
    ((mib > 560))
}

active_instances() {
    ns systemctl list-units --no-legend --plain --state=active "holos-$kProject-b@*.service" |
        awk '{print $1}' | sort | tr '\n' ' '
}

boot_both() {
    mkdir -p "$T/conv"
    write_project 512 "echo v1 >/root/v1" 1
    check "up of a and b exits 0" up || e2e_finish
    wait_until "$kBootTimeoutS" "a is provisioned" provisioned a || e2e_finish
    wait_until "$kBootTimeoutS" "b is provisioned" provisioned b || e2e_finish
    check "a file is written in a" in_guest a sh -c 'echo kept >/root/kept'
    check "a file is written in b" in_guest b sh -c 'echo kept >/root/kept'
}

memory_edit_restarts_only_a() {
    local a_before b_before
    a_before=$(main_pid a 0)
    b_before=$(main_pid b 0)
    write_project 640 "echo v1 >/root/v1" 1
    check "up --dry-run plans a restart of a alone" output_is "project conv:
  a-0  restart   vm.memory_mb 512 -> 640; restarts with its disk kept
  b-0  unchanged" up --dry-run
    check "the dry run changed nothing" output_is "$a_before" main_pid a 0
    check "up exits 0" up
    check "a runs a new QEMU" test "$(main_pid a 0)" != "$a_before"
    check "b was not restarted" output_is "$b_before" main_pid b 0
    wait_until "$kBootTimeoutS" "a answers again" in_guest a true
    check "a has the new memory (640 MiB, was 512)" has_more_memory_than_before
    check "the file written in a before the edit is still there" \
        output_is kept in_guest a cat /root/kept
}

runcmd_edit_is_stale_until_recreate() {
    local a_before b_before output
    a_before=$(main_pid a 0)
    b_before=$(main_pid b 0)
    write_project 640 "echo v2 >/root/v2" 1
    output=$(up 2>&1)
    check "up after a runcmd edit exits 0" test $? = 0
    check "up names a as stale and says how to re-provision it" grep -q \
        "conv/a-0 keeps running with its old provisioning; .* holosctl up --recreate a" \
        <<<"$output"
    check "a keeps running" output_is "$a_before" main_pid a 0
    check "the new runcmd has not run" in_guest a test ! -e /root/v2
    check "up --recreate a exits 0" up --recreate a
    check "b was not restarted" output_is "$b_before" main_pid b 0
    wait_until "$kBootTimeoutS" "a is provisioned again" provisioned a
    check "the new runcmd ran in a" in_guest a test -e /root/v2
    check "a is on a fresh disk" in_guest a test ! -e /root/kept
    check "b's disk kept its data" output_is kept in_guest b cat /root/kept
}

replicas_follow_the_plan() {
    write_project 640 "echo v2 >/root/v2" 2
    check "the plan creates b-1" output_has '^  b-1  create$' up --dry-run
    check "up with 2 replicas of b" up
    check "b-0 and b-1 are active" output_is "holos-conv-b@0.service holos-conv-b@1.service " \
        active_instances
    write_project 640 "echo v2 >/root/v2" 1
    check "the plan removes b-1" output_has '^  b-1  remove    its disk is deleted$' up --dry-run
    check "up with 1 replica of b" up
    check "only b-0 is active" output_is "holos-conv-b@0.service " active_instances
    check "b-1's disk is gone" test ! -e "$STATE/lib/instances/$kProject/b-1"
    write_project 640 "echo v2 >/root/v2" 3
    check "up with 3 replicas of b" up
    check "b-0, b-1 and b-2 are active" \
        output_is "holos-conv-b@0.service holos-conv-b@1.service holos-conv-b@2.service " \
        active_instances
}

# While one up holds the project (it stops b-2, which takes seconds), a second waits for it,
# and one that may not wait fails naming the holder.
concurrent_ups_are_serialized() {
    local first_out=$T/first.out first
    write_project 640 "echo v2 >/root/v2" 2
    up >"$first_out" 2>&1 &
    first=$!
    sleep 1
    check "an up that may not wait fails naming the up that holds the project" \
        expect_failure 1 'project conv is busy: holosctl up \(PID [0-9]+\)' up --lock-timeout 0
    check "a second up waits and succeeds" up
    wait "$first"
    check "the first up succeeded too" test $? = 0
}

killed_up_converges() {
    local pid
    write_project 640 "echo v2 >/root/v2" 3
    up >/dev/null 2>&1 &
    pid=$!
    sleep 2
    ns pkill -KILL -f "holosctl up -f $T/conv/holos.yaml"
    wait "$pid"
    check "up after a killed up exits 0" up
    check "the project converged: b-0, b-1 and b-2 active" \
        output_is "holos-conv-b@0.service holos-conv-b@1.service holos-conv-b@2.service " \
        active_instances
    check "no half-written file is left" \
        output_is "" find "$STATE/lib/instances/$kProject" -name '*.tmp*'
}

main() {
    e2e_take_vm_lock
    e2e_setup "$@"
    boot_both
    memory_edit_restarts_only_a
    runcmd_edit_is_stale_until_recreate
    replicas_follow_the_plan
    concurrent_ups_are_serialized
    killed_up_converges
    check "down exits 0" ns holosctl down -p "$kProject"
    e2e_finish
}

main "$@"
