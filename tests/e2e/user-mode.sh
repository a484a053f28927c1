#!/bin/bash
# End-to-end test of user mode: a copy of examples/hello (on another host port) run by an
# unprivileged user through `holosctl --user`, under that user's own service manager
# (user@UID.service) in the test machine. QEMU runs as the user, under TCG, with no root
# involved after the user manager is started; the page is served; `install --enable` links
# the project into the user's default.target and says that lingering is off; and a restart
# of the user manager (what a boot with lingering, or a new login, does) brings it back from
# the same disk.
#
#   tests/e2e/user-mode.sh BUILD_DIR SOURCE_DIR     (root; about 3 min; needs the guest image)
#
# The user exists only inside the test machine: a JSON user record in its private /run/userdb
# (read by nss-systemd), never an entry in the host's /etc/passwd. logind is masked in the
# test machine, so what it would do for user@UID.service is done here: pam_systemd's
# XDG_RUNTIME_DIR is given to the unit in a drop-in, and /run/systemd/unit-root, which any
# host's sandboxed system services (logind among them) have created long before a user logs
# in, is created by one sandboxed command.
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

readonly kUserName=holos-e2e
readonly kPort=8480
readonly kUnit=holos-hello-web@0.service
readonly kPageTimeoutS=240

# A UID (and GID) that the host's passwd and group files do not use, below systemd's
# dynamic range.
free_id() {
    local id
    for ((id = 47000; id < 48000; id++)); do
        if ! getent passwd "$id" >/dev/null && ! getent group "$id" >/dev/null; then
            echo "$id"
            return 0
        fi
    done
    return 1
}

# as_user CMD...: runs CMD inside the test machine as the test user, with the environment a
# login session would have.
as_user() {
    ns setpriv --reuid="$USER_ID" --regid="$USER_ID" --clear-groups \
        env -i HOME="$USER_HOME" XDG_RUNTIME_DIR="/run/user/$USER_ID" USER="$kUserName" \
        PATH=/usr/local/bin:/usr/bin:/bin "$@"
}

# The home directory, on the host side of /var/lib/holos: the compose file (hello on
# another port) and holos.conf choosing TCG.
prepare_home() {
    local home=$STATE/lib/users/$kUserName
    mkdir -p "$home/hello" "$home/.config/holos"
    sed "s/\"8080:80\"/\"$kPort:80\"/" "$SOURCE_DIR/examples/hello/holos.yaml" \
        >"$home/hello/holos.yaml"
    echo "accel = tcg" >"$home/.config/holos/holos.conf"
    chown -R "$USER_ID:$USER_ID" "$home"
    chmod 0700 "$home"
}

create_user() {
    local records
    records=$(printf '{"userName":"%s","uid":%s,"gid":%s,"homeDirectory":"%s","shell":"/bin/sh","disposition":"regular"}' \
        "$kUserName" "$USER_ID" "$USER_ID" "$USER_HOME")
    # shellcheck disable=SC2016 # expanded by the shell inside the test machine
    ns sh -c 'mkdir -p /run/userdb && cd /run/userdb &&
        printf "%s\n" "$1" >"$2.user" && ln -sf "$2.user" "$3.user" &&
        printf "{\"groupName\":\"%s\",\"gid\":%s}\n" "$2" "$3" >"$2.group" &&
        ln -sf "$2.group" "$3.group"' sh "$records" "$kUserName" "$USER_ID" &&
        output_has "^$kUserName:x:$USER_ID:$USER_ID:" ns getent passwd "$kUserName"
}

start_user_manager() {
    local dropin=/run/systemd/system/user@$USER_ID.service.d
    ns mkdir -p "$dropin" &&
        ns sh -c "printf '[Service]\nEnvironment=XDG_RUNTIME_DIR=/run/user/$USER_ID\n' \
            >$dropin/runtime-dir.conf" &&
        ns systemd-run --wait --quiet -p PrivateTmp=yes true &&
        ns systemctl daemon-reload && ns systemctl start "user@$USER_ID.service"
}

page_served() {
    curl -fsS --max-time 5 "http://127.0.0.1:$kPort/" | grep 'hello from holos'
}

qemu_pid() {
    pgrep --ns "$NS_PID" --nslist pid -f 'guest=hello-web-0'
}

# Every UID of QEMU is the user's, and it holds no capability.
qemu_runs_as_the_user() {
    local status
    status=$(cat "/proc/$(qemu_pid)/status") || return 1
    grep -E '^(Uid|Gid|CapEff|CapBnd|Seccomp):' <<<"$status"
    grep -qE "^Uid:\s+$USER_ID\s+$USER_ID\s+$USER_ID\s+$USER_ID$" <<<"$status" &&
        grep -qE '^CapEff:\s+0+$' <<<"$status" && grep -qE '^Seccomp:\s+2$' <<<"$status"
}

# Lingering is a file of the host's /var/lib/systemd/linger/, which the test leaves alone: it
# is off for the test user.
install_enable() {
    as_user holosctl --user install --enable -f "$COMPOSE" 2>&1
}

overlay() {
    echo "$STATE/lib/users/$kUserName/.local/state/holos/instances/hello/web-0/overlay.qcow2"
}

# pid_changed OLD: the unit runs a new QEMU.
pid_changed() {
    local now
    now=$(qemu_pid)
    echo "QEMU pid ${now:-none} (was $1)"
    [ -n "$now" ] && [ "$now" != "$1" ]
}

up_and_serve() {
    local started_us
    started_us=$(e2e_now_us)
    check "holosctl --user up exits 0" as_user holosctl --user up -f "$COMPOSE" || return 1
    check "the unit is active in the user manager" \
        output_is active as_user systemctl --user is-active "$kUnit"
    check "QEMU runs as the user, without capabilities, under seccomp" qemu_runs_as_the_user
    wait_until "$kPageTimeoutS" "the page answers on 127.0.0.1:$kPort" page_served || return 1
    echo "    page served $(e2e_seconds_since "$started_us") s after up started"
    check "holosctl --user ps shows the instance" \
        output_has '^hello +web-0 +active \(running\)' as_user holosctl --user ps
}

install_and_restart() {
    local pid inode
    check "install --enable says lingering is off and what to run" \
        output_has "lingering is off for user $kUserName.*loginctl enable-linger $kUserName" \
        install_enable
    check "the project is installed under the user's config directory" \
        as_user test -f "$USER_HOME/.config/holos/projects/hello/registration.json"
    check "the user generator links it into default.target" \
        as_user test -L "/run/user/$USER_ID/systemd/generator/default.target.wants/holos-hello.target"
    pid=$(qemu_pid)
    inode=$(stat -c %i "$(overlay)")
    check "the user manager restarts" ns systemctl restart "user@$USER_ID.service"
    check "the guest shut down cleanly when the user manager stopped" \
        file_has 'reboot: Power down' "$(dirname "$(overlay)")/console.log"
    wait_until 60 "the user manager started the project again" pid_changed "$pid"
    check "from the same overlay" output_is "$inode" stat -c %i "$(overlay)"
    wait_until "$kPageTimeoutS" "the page answers again" page_served
}

down_and_check() {
    check "holosctl --user down exits 0" \
        output_has "stopped, uninstalled and removed" as_user holosctl --user down -f "$COMPOSE"
    check "no QEMU is left" bash -c "! pgrep --ns $NS_PID --nslist pid -f guest=hello-web-0"
    check "the instance disks are gone" test ! -e "$(dirname "$(overlay)")"
    check "the user manager stops" ns systemctl stop "user@$USER_ID.service"
}

main() {
    e2e_take_vm_lock
    e2e_setup "$@"
    if tcp_port_busy "$kPort"; then
        e2e_die "port $kPort on 127.0.0.1 is taken"
    fi
    USER_ID=$(free_id) || e2e_die "no free UID between 47000 and 48000"
    USER_HOME=/var/lib/holos/users/$kUserName
    COMPOSE=$USER_HOME/hello/holos.yaml
    local started_us
    started_us=$(e2e_now_us)
    prepare_home
    check "the test user exists in the test machine only" create_user || e2e_finish
    check "the user imports the guest image into their own store" as_user holosctl --user \
        image import "$HOLOS_TEST_IMAGE" --name debian:12 || e2e_finish
    check "user@$USER_ID.service starts" start_user_manager || e2e_finish
    up_and_serve && install_and_restart
    down_and_check
    echo "    whole test: $(e2e_seconds_since "$started_us") s"
    e2e_finish
}

main "$@"
