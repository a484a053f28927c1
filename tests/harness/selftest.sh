#!/bin/bash
# Proves that holos-ns boots a usable systemd and leaves the host as it found it.
#
#   tests/harness/selftest.sh          (as root; about 5 s; no guest image needed)
#
# It boots twice with one state dir, as the e2e tests do when they simulate a reboot, and
# compares a snapshot of host state (mounts, /dev, /sys/fs/cgroup, hostname, /tmp) taken
# before and after. Exit status: 0 when every check passed, 1 otherwise.
set -euo pipefail

harness_dir=$(dirname "$(realpath -- "${BASH_SOURCE[0]}")")
holos_ns=$harness_dir/holos-ns
work=$(mktemp -d /var/tmp/holos-ns-selftest.XXXXXX)
state=$work/state
prefix=$work/prefix/usr/local
host_marker=$(mktemp /tmp/holos-ns-selftest.XXXXXX)
passed=0
failed=0

cleanup() {
    "$holos_ns" stop "$state" || true
    rm -rf "$work"
    rm -f "$host_marker"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ns() {
    "$holos_ns" run "$state" "$@"
}

# check DESCRIPTION CMD...: one line per check; the output of a failed one, indented.
check() {
    local description=$1 output
    shift
    if output=$("$@" 2>&1); then
        echo "ok: $description"
        passed=$((passed + 1))
    else
        echo "FAIL: $description"
        printf '%s\n' "$output" | sed 's/^/    /'
        failed=$((failed + 1))
    fi
}

output_is() {
    local expected=$1 actual
    shift
    actual=$("$@") || true
    [ "$actual" = "$expected" ] || { echo "expected \"$expected\", got \"$actual\""; return 1; }
}

output_has() {
    local pattern=$1 actual
    shift
    actual=$("$@") || true
    grep -qE -- "$pattern" <<<"$actual" || { echo "no \"$pattern\" in:"; echo "$actual"; return 1; }
}

status_is() {
    local expected=$1 status=0
    shift
    "$@" || status=$?
    [ "$status" = "$expected" ] || { echo "expected exit status $expected, got $status"; return 1; }
}

# What the namespace could change on the host by mistake: mounts and their superblock flags,
# /dev, the cgroup mount points, kernel settings. Other test machines running meanwhile have
# cgroups of their own, so the machine's own cgroup is checked separately.
host_snapshot() {
    awk '{ for (i = 1; i <= NF; i++) if ($i == "-") { print $5, $(i + 3); break } }' \
        /proc/self/mountinfo
    find /dev -maxdepth 1 -printf '%f %y %l\n' | sort
    ls -A /sys/fs/cgroup
    hostname
    cat /proc/sys/fs/file-max /proc/sys/fs/nr_open
}

# The host path of a cgroup v2 path: the unified hierarchy is mounted at /sys/fs/cgroup on
# pure v2 hosts and at /sys/fs/cgroup/unified on hybrid ones.
cgroup_dir() {
    if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
        echo "/sys/fs/cgroup$1"
    else
        echo "/sys/fs/cgroup/unified$1"
    fi
}

# A fake install tree: a command for the PATH check and a generator that must be picked up
# from /usr/local/lib/systemd/system-generators, as the holos generator will be.
make_prefix() {
    local generator=$prefix/lib/systemd/system-generators/holos-ns-selftest-generator
    mkdir -p "$prefix/bin" "${generator%/*}"
    printf '#!/bin/sh\necho probe\n' >"$prefix/bin/holos-ns-probe"
    cat >"$generator" <<'EOF'
#!/bin/sh
printf '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/echo generated\n' \
    >"$1/holos-selftest-generated.service"
EOF
    chmod +x "$prefix/bin/holos-ns-probe" "$generator"
}

now_us() {
    echo "${EPOCHREALTIME/./}"
}

ms_since() {
    echo "$((($(now_us) - $1) / 1000)) ms"
}

first_boot() {
    local pid started_us
    echo "-- first boot"
    started_us=$(now_us)
    pid=$("$holos_ns" start "$state" "$prefix")
    echo "   start took $(ms_since "$started_us")"
    check "start prints the host PID of PID 1" test -d "/proc/$pid"
    check "PID 1 is systemd" output_is systemd cat "/proc/$pid/comm"
    check "is-system-running says running" output_is running ns systemctl is-system-running
    check "the generator in /usr/local was run" output_has generated \
        ns systemctl cat holos-selftest-generated.service
    check "a generated unit starts" ns systemctl start holos-selftest-generated.service
    check "systemctl worked without D-Bus" output_is inactive ns systemctl is-active dbus.service
    check "systemd-run --wait runs a transient oneshot" \
        ns systemd-run --quiet --wait --unit=holos-selftest-echo -p Type=oneshot /bin/echo hi
    check "the journal has its output" output_is hi \
        ns journalctl -u holos-selftest-echo.service --no-pager -o cat _COMM=echo
    check "the journal has its start" output_has 'Finished holos-selftest-echo.service' \
        ns journalctl -u holos-selftest-echo.service --no-pager
    check_run_plumbing
    check_private_paths
}

check_run_plumbing() {
    check "run passes the exit status" status_is 7 ns sh -c 'exit 7'
    check "run passes stdin and stdout" output_is abc ns cat <<<abc
    check "run passes stderr" output_is err eval "ns sh -c 'echo err >&2' 2>&1 >/dev/null"
    check "run keeps the working directory" output_is "$work" eval "cd '$work' && ns pwd"
    check "run finds commands in /usr/local/bin" output_is probe ns holos-ns-probe
}

check_private_paths() {
    check "the host's /tmp is not the namespace's" ns test ! -e "$host_marker"
    check "/tmp inside is STATE/tmp" eval "ns touch /tmp/inside && test -e '$state/tmp/inside'"
    check "/etc/holos inside is STATE/etc" \
        eval "ns sh -c 'echo kept >/etc/holos/persist' && test -e '$state/etc/persist'"
    check "/var/lib/holos inside is STATE/lib" \
        eval "ns sh -c 'echo kept >/var/lib/holos/persist' && test -e '$state/lib/persist'"
    check "/proc/sys is read-only inside" ns test ! -w /proc/sys/kernel/printk
    ns touch /run/holos-selftest-volatile
}

stop_and_check() {
    local pid pid_ns left started_us cgroup
    pid=$(cat "$state/pid")
    pid_ns=$(readlink "/proc/$pid/ns/pid")
    cgroup=$(sed -n 's|^0::\(.*\)/init\.scope$|\1|p' "/proc/$pid/cgroup")
    check "PID 1 runs in a cgroup of its own" test -n "$cgroup"
    started_us=$(now_us)
    check "stop succeeds" "$holos_ns" stop "$state"
    echo "   stop took $(ms_since "$started_us")"
    left=$(for p in /proc/[0-9]*; do
        [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$pid_ns" ] && echo "${p#/proc/}"
    done || true)
    check "no process of the namespace is left" test -z "$left"
    check "the pid file is gone" test ! -e "$state/pid"
    check "its cgroup is gone" test ! -e "$(cgroup_dir "$cgroup")"
    check "a file in the host's /tmp survived" test -e "$host_marker"
}

second_boot() {
    local started_us
    echo "-- second boot, same state dir"
    started_us=$(now_us)
    check "start again" "$holos_ns" start "$state" "$prefix"
    echo "   start took $(ms_since "$started_us")"
    check "/etc/holos persisted" output_is kept ns cat /etc/holos/persist
    check "/var/lib/holos persisted" output_is kept ns cat /var/lib/holos/persist
    check "/run is fresh" ns test ! -e /run/holos-selftest-volatile
    check "the journal is fresh" output_is "" \
        ns journalctl -u holos-selftest-echo.service --no-pager -q
}

main() {
    [ "$(id -u)" = 0 ] || { echo "selftest.sh: must run as root" >&2; exit 1; }
    local before
    make_prefix
    before=$(host_snapshot)

    first_boot
    stop_and_check
    second_boot
    stop_and_check
    check "stop is idempotent" "$holos_ns" stop "$state"
    check "the host looks as before" diff <(echo "$before") <(host_snapshot)

    echo "$passed passed, $failed failed"
    ((failed == 0))
}

main "$@"
