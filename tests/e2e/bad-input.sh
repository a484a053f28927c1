#!/bin/bash
# End-to-end test of what `holosctl up` refuses, and that a refusal leaves nothing behind:
# a malformed holos.yaml, an image the store lacks, a host port already in use, and a
# `holosctl run` whose memory is out of range. No guest boots; a refused `up` must stop
# before registering the project.
#
#   tests/e2e/bad-input.sh BUILD_DIR SOURCE_DIR     (root; ~10 s)
#
# Not `set -e`: failed checks are counted; the summary decides the exit status.
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

# write_compose NAME: a directory under $T holding holos.yaml from stdin; prints the file.
write_compose() {
    local dir=$T/$1
    mkdir -p "$dir"
    cat >"$dir/holos.yaml"
    echo "$dir/holos.yaml"
}

# refuses CMD...: CMD exits 1 or 2, the documented failure codes; a crash does not count.
refuses() {
    local status=0
    "$@" || status=$?
    [[ $status == 1 || $status == 2 ]] || { echo "exit status $status"; return 1; }
}

# up_refuses FILE: `holosctl up -f FILE` refuses; its stderr is kept in $T/up.err for the
# checks that follow.
up_refuses() {
    local status=0
    refuses ns holosctl up -f "$1" >"$T/up.out" 2>"$T/up.err" || status=$?
    cat "$T/up.out" "$T/up.err"
    return "$status"
}

# run_refuses ARGS...: `holosctl run ARGS...` refuses; its stderr is kept in $T/run.err.
run_refuses() {
    local status=0
    refuses ns holosctl run "$@" >"$T/run.out" 2>"$T/run.err" || status=$?
    cat "$T/run.out" "$T/run.err"
    return "$status"
}

# left_nothing PROJECT: neither a registration nor a loaded unit of PROJECT.
left_nothing() {
    local project=$1
    check "$project: no registration left" ns test ! -e "/run/holos/projects/$project"
    check "$project: no unit loaded" output_is "" \
        ns systemctl list-units --all "holos-$project*" --no-legend
}

# An unknown key on line 5 and a guest port out of range on line 7.
malformed_file() {
    write_compose badinput <<'EOF'
name: badinput
services:
  web:
    image: debian:12
    colour: blue
    ports:
      - "18081:99999"
EOF
}

check_malformed() {
    local file
    file=$(malformed_file)
    check "malformed: up exits 1 or 2" up_refuses "$file"
    check "malformed: the unknown key is reported at holos.yaml:5:COL" \
        file_has 'holos\.yaml:5:[0-9]+:' "$T/up.err"
    check "malformed: the bad port is reported at holos.yaml:7:COL" \
        file_has 'holos\.yaml:7:[0-9]+:' "$T/up.err"
    left_nothing badinput
}

check_missing_image() {
    local file
    file=$(write_compose noimage <<'EOF'
name: noimage
services:
  web:
    image: missing-image:1
EOF
)
    check "missing image: up exits 1 or 2" up_refuses "$file"
    check "missing image: stderr names the image" file_has 'missing-image' "$T/up.err"
    left_nothing noimage
}

# A port the kernel just handed out and gave back is free, barring a race with another job.
free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

check_port_taken() {
    local port file server
    port=$(free_port)
    python3 -m http.server --bind 127.0.0.1 "$port" >/dev/null 2>&1 &
    server=$!
    e2e_kill_on_exit "$server"
    wait_until 10 "port taken: a host server listens on $port" tcp_port_busy "$port" || return
    file=$(write_compose portclash <<EOF
name: portclash
services:
  web:
    image: debian:12
    ports:
      - "$port:80"
EOF
)
    check "port taken: up exits 1 or 2" up_refuses "$file"
    check "port taken: stderr names port $port" file_has "$port" "$T/up.err"
    check "port taken: stderr names the instance" file_has 'web-0|web@0' "$T/up.err"
    left_nothing portclash
    check "port taken: the host server still answers" tcp_port_busy "$port"
}

# run writes a compose file of its own; a value it cannot hold is still refused by the parser
# with the rest, and the file's directory goes with the refusal.
check_run_memory_out_of_range() {
    check "run: --memory 99999999999 exits 1 or 2" run_refuses --name badmemory \
        --memory 99999999999 debian:12
    check "run: stderr names vm.memory_mb" file_has 'vm\.memory_mb' "$T/run.err"
    check "run: its compose directory is removed" ns test ! -e /var/lib/holos/run/badmemory
    left_nothing badmemory
}

check_validate() {
    check "validate accepts examples/hello" \
        ns holosctl validate -f "$SOURCE_DIR/examples/hello/holos.yaml"
    check "validate rejects the malformed file" \
        refuses ns holosctl validate -f "$(malformed_file)"
}

main() {
    e2e_setup "$@"
    check_malformed
    check_missing_image
    check_port_taken
    check_run_memory_out_of_range
    check_validate
    e2e_finish
}

main "$@"
