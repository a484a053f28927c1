#!/bin/bash
# End-to-end test of Dockerfile provisioning with a real cloud-init guest: a service whose
# Dockerfile uses ARG, ENV, WORKDIR, COPY and RUN (shell and exec form) boots, and each step
# is seen in the guest, before the service's own runcmd. Then a file the Dockerfile copies
# changes: up --dry-run plans a recreate and says why, up re-provisions the instance on a
# fresh disk, and the guest has the new file. A Dockerfile with CMD is refused by validate,
# naming the holos field to use instead.
#
#   tests/e2e/dockerfile.sh BUILD_DIR SOURCE_DIR     (root; 3-5 min; needs the guest image)
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

readonly kProject=dock
readonly kBootTimeoutS=300

write_project() {
    mkdir -p "$T/dock"
    cat >"$T/dock/holos.yaml" <<YAML
name: $kProject
services:
  app:
    dockerfile: ./Dockerfile
    vm: {vcpu: 2, memory_mb: 768}
    cloud_init:
      runcmd: ["test -s /root/greeting && echo after >/root/order"]
YAML
    cat >"$T/dock/Dockerfile" <<'DOCKERFILE'
FROM debian:12
ARG GREETING=hello
ENV GREETING=$GREETING PLACE="the guest"
WORKDIR /opt/app
COPY motd.txt ./motd.txt
RUN echo "$GREETING from $PLACE" >/root/greeting && \
    cp motd.txt /root/motd-copy
RUN ["touch", "/root/exec-form"]
DOCKERFILE
    echo v1 >"$T/dock/motd.txt"
}

up() {
    ns holosctl up -f "$T/dock/holos.yaml" "$@"
}

in_guest() {
    ns holosctl exec -p "$kProject" -w 5 app-0 -- "$@"
}

provisioned() {
    in_guest cloud-init status --wait
}

boot_and_check_each_step() {
    write_project
    check "up exits 0" up || e2e_finish
    wait_until "$kBootTimeoutS" "app-0 is provisioned" provisioned || e2e_finish
    check "ARG and ENV reach RUN" output_is "hello from the guest" in_guest cat /root/greeting
    check "COPY put the file under WORKDIR" output_is v1 in_guest cat /opt/app/motd.txt
    check "RUN ran in WORKDIR" output_is v1 in_guest cat /root/motd-copy
    check "the exec form of RUN ran" in_guest test -e /root/exec-form
    check "the Dockerfile ran before the service's runcmd" output_is after \
        in_guest cat /root/order
    check "a file is written on the first disk" in_guest sh -c 'echo kept >/root/kept'
}

copied_file_change_reprovisions() {
    local plan
    echo v2 >"$T/dock/motd.txt"
    plan=$(up --dry-run 2>&1)
    check "up --dry-run plans a recreate because of the copied file" grep -qE \
        '^  app-0  recreate .*the Dockerfile or a file it copies' <<<"$plan"
    echo "$plan" | sed 's/^/    /'
    check "up exits 0 and says it re-provisions app-0" output_has \
        'app-0  recreate' up
    wait_until "$kBootTimeoutS" "app-0 is provisioned again" provisioned || return 1
    check "the guest has the new file" output_is v2 in_guest cat /opt/app/motd.txt
    check "it is on a fresh disk" in_guest test ! -e /root/kept
    check "a second up changes nothing" output_has '^  app-0  unchanged$' up --dry-run
}

validate_refuses_cmd() {
    local output status=0
    output=$(ns holosctl validate -f "$T/bad/holos.yaml" 2>&1) || status=$?
    echo "$output (exit status $status)"
    [ "$status" = 1 ] && grep -qE '/Dockerfile:2:1: CMD: .*cloud_init\.runcmd' <<<"$output"
}

cmd_is_refused() {
    mkdir -p "$T/bad"
    printf 'name: bad\nservices:\n  app:\n    dockerfile: ./Dockerfile\n' >"$T/bad/holos.yaml"
    printf 'FROM debian:12\nCMD ["sleep", "infinity"]\n' >"$T/bad/Dockerfile"
    check "validate refuses CMD at its line and names what to use instead" validate_refuses_cmd
}

main() {
    e2e_take_vm_lock
    e2e_setup "$@"
    cmd_is_refused
    boot_and_check_each_step
    copied_file_change_reprovisions
    check "down exits 0" ns holosctl down -p "$kProject"
    e2e_finish
}

main "$@"
