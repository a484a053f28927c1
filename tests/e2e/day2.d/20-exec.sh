# shellcheck shell=bash
# holosctl exec against the running hello guest: exit status, pipes, options after the
# instance, another user, an interactive shell on a pseudo-terminal, and the pinned host key.
# shellcheck disable=SC2317 # the predicates below are called through check
# shellcheck disable=SC2154 # kProject, kInstance and kUnit come from day2.sh

exec_exit_status_is() {
    local expected=$1 status=0
    shift
    ns holosctl exec -p "$kProject" "$kInstance" "$@" || status=$?
    echo "exit status $status"
    [ "$status" = "$expected" ]
}

# The terminal session types a command, reads its answer back, and leaves with status 7.
exec_pty_shell() {
    local status=0
    printf '%s\n' 'expect [#$] ' 'send echo pty-$((6*7)); tty; exit 7\r' \
        'expect pty-42' 'expect /dev/pts/' |
        ns python3 "$E2E_DIR/pty_session.py" -- holosctl exec -p "$kProject" "$kInstance" ||
        status=$?
    echo "(exit status $status)"
    [ "$status" = 7 ]
}

# A different key behind the same port is refused, and nothing is run.
exec_refuses_changed_host_key() {
    local pinned=$STATE/lib/instances/$kProject/$kInstance/ssh_host_key output status=0
    cp "$pinned" "$T/pinned.saved"
    ssh-keygen -q -t ed25519 -N '' -f "$T/other" && cp "$T/other.pub" "$pinned"
    output=$(ns holosctl exec -p "$kProject" "$kInstance" -- touch /tmp/ran 2>&1) || status=$?
    cp "$T/pinned.saved" "$pinned"
    echo "$output (exit status $status)"
    [ "$status" = 255 ] && grep -qi 'host key' <<<"$output" &&
        ! ns holosctl exec -p "$kProject" "$kInstance" -- test -e /tmp/ran
}

exec_checks() {
    check "exec passes the remote exit status (sh -c 'exit 3')" \
        exec_exit_status_is 3 -- sh -c 'exit 3'
    check "exec pipes stdin to the command" \
        output_is "through the pipe" sh -c "echo 'through the pipe' |
            '$HOLOS_NS' run '$STATE' holosctl exec -p $kProject $kInstance -- cat"
    check "exec takes the command's own options without --" \
        output_has '^/srv/www/index.html$' ns holosctl exec -p "$kProject" "$kInstance" \
        ls -1d /srv/www/index.html
    check "exec -u runs as another user" \
        output_has '^uid=1000\(debian\)' ns holosctl exec -u debian -p "$kProject" "$kInstance" id
    check "exec on a terminal gets an interactive shell on a pty" exec_pty_shell
    check "the guest's host key was pinned on first use" \
        test -s "$STATE/lib/instances/$kProject/$kInstance/ssh_host_key"
    check "exec refuses a changed host key (exit 255) and runs nothing" \
        exec_refuses_changed_host_key
}

exec_checks
