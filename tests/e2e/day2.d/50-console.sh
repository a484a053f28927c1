# shellcheck shell=bash
# holosctl console: the serial console on a terminal, the login prompt, the escape key, and
# the console log.
# shellcheck disable=SC2317 # the predicates below are called through check
# shellcheck disable=SC2154 # kProject, kInstance and kUnit come from day2.sh

console_shows_login_and_detaches() {
    printf '%s\n' 'expect press Ctrl-\] to detach' 'send \r' 'expect login:' 'send \x1d' \
        'expect detached' |
        ns python3 "$E2E_DIR/pty_session.py" -- holosctl console -p "$kProject" "$kInstance"
}

console_checks() {
    check "console shows the login prompt and detaches with Ctrl-]" \
        console_shows_login_and_detaches
    check "console --log prints the boot log" \
        output_has 'Reached target.*Multi-User' ns holosctl console -p "$kProject" --log "$kInstance"
}

console_checks
