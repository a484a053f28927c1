#!/bin/bash
# End-to-end test of the day-two verbs against one real guest: examples/hello is brought up
# once, and every part in day2.d/ (sourced in name order) runs its checks against it while it
# runs. A part defines checks only; it must leave the project running as it found it. Once
# hello is down, day2-run.sh boots a one-off VM with holosctl run.
#
#   tests/e2e/day2.sh BUILD_DIR SOURCE_DIR     (root; 5-8 min; needs the guest image)
#
# Available to parts, besides lib.sh: COMPOSE (the hello compose file), kProject, kInstance,
# kUnit, and wait_for_ssh (done before the first part runs).
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

readonly kProject=hello
readonly kInstance=web-0
readonly kUnit=holos-hello-web@0.service
readonly kSshTimeoutS=240

ssh_answers() {
    ns holosctl exec -p "$kProject" -w 5 "$kInstance" -- true
}

main() {
    e2e_take_vm_lock
    e2e_setup "$@"
    COMPOSE=$SOURCE_DIR/examples/hello/holos.yaml
    check "up exits 0" ns holosctl up -f "$COMPOSE" || e2e_finish
    wait_until "$kSshTimeoutS" "the guest answers over SSH" ssh_answers || e2e_finish
    # sshd answers before cloud-init's last stages end; the parts expect a provisioned guest.
    check "cloud-init has finished" ns holosctl exec -p "$kProject" "$kInstance" -- \
        cloud-init status --wait || e2e_finish
    local part
    for part in "$E2E_DIR"/day2.d/*.sh; do
        echo "--- $(basename -- "$part" .sh)"
        # shellcheck source=/dev/null
        source "$part"
    done
    check "down exits 0" ns holosctl down -f "$COMPOSE"
    # shellcheck source=day2-run.sh
    source "$E2E_DIR/day2-run.sh"
    e2e_finish
}

main "$@"
