# shellcheck shell=bash
# Wrong use of the day-two verbs: one line saying what is wrong and what to try, and the
# documented exit status.
# shellcheck disable=SC2317 # the predicates below are called through check
# shellcheck disable=SC2154 # kProject, kInstance and kUnit come from day2.sh

# A guest whose sshd is down (stopped, then started again by a timer 10 s later).
exec_without_sshd_says_what_to_try() {
    ns holosctl exec -p "$kProject" "$kInstance" -- sh -c \
        'systemd-run --quiet --on-active=10 --timer-property=AccuracySec=1s \
            systemctl start ssh.service;
         systemctl stop ssh.socket ssh.service' || return 1
    expect_failure 255 'did not answer within 3 s.*console --log' \
        ns holosctl exec -w 3 -p "$kProject" "$kInstance" -- true
}

error_checks() {
    local verb
    for verb in exec console logs stop; do
        check "$verb with an unknown instance exits 2 in one line naming the valid ones" \
            expect_failure 2 'has no service or instance web-7; it has web-0' \
            ns holosctl "$verb" -p "$kProject" web-7
    done
    check "cp with an unknown instance exits 2 in one line naming the valid ones" \
        expect_failure 2 'has no service or instance web-7; it has web-0' \
        ns holosctl cp -p "$kProject" web-7:/tmp/x "$T/x"
    check "exec in a project that is not running exits 2 and says to run up" \
        expect_failure 2 'project nosuch is not running; start it with holosctl up' \
        ns holosctl exec -p nosuch web-0 -- true
    check "exec without an instance is a usage error" expect_failure 2 'needs an instance' \
        ns holosctl exec -p "$kProject"
    check "exec of a guest without sshd says what to try" exec_without_sshd_says_what_to_try
    wait_until 90 "sshd is back" ssh_answers
}

error_checks
