# shellcheck shell=bash
# Shared by the end-to-end tests; source it, then call e2e_setup first and e2e_finish last:
#
#   source "$(dirname "$0")/lib.sh"
#   e2e_setup "$@"                      # BUILD_DIR SOURCE_DIR
#   check "up succeeds" ns holosctl up -f "$SOURCE_DIR/examples/hello/holos.yaml"
#   e2e_finish                          # prints "N passed, M failed"; exit 1 if M > 0
#
# e2e_setup installs the build into a temp dir under /var/tmp (never /tmp: the test machine has
# its own /tmp), prepares a state dir with holos.conf, boots tests/harness/holos-ns on it and
# imports the Debian 12 guest image into its image store as debian:12. Whatever happens next (a failed check, an error, Ctrl-C, even
# SIGKILL of the test), the test machine is stopped, so no VM outlives the test, and the temp
# dir is removed; HOLOS_TEST_KEEP=1 keeps it for a look.
#
# After e2e_setup: T (temp dir), STATE (its /etc/holos, /var/lib/holos and /tmp), PREFIX
# (installed usr/local), BUILD_DIR, SOURCE_DIR, NS_PID (host PID of the machine's PID 1).
#
# Environment: HOLOS_TEST_IMAGE (default /var/cache/holos/build/debian-12/base.qcow2, where
# tools/build-guest-image.sh and holosctl image build put it), HOLOS_TEST_KEEP=1.

E2E_DIR=$(dirname "$(realpath -- "${BASH_SOURCE[0]}")")
HOLOS_NS=$(realpath -- "$E2E_DIR/../harness/holos-ns")
HOLOS_TEST_IMAGE=${HOLOS_TEST_IMAGE:-/var/cache/holos/build/debian-12/base.qcow2}
E2E_NAME=$(basename -- "$0" .sh)
E2E_PASSED=0
E2E_FAILED=0
E2E_DIAGNOSED=0
T=""
STATE=""
E2E_GUARD_PID=""
E2E_HOST_PIDS=()

e2e_die() {
    echo "$E2E_NAME: $*" >&2
    exit 1
}

# ns CMD...: runs CMD inside the test machine, in the current directory.
ns() {
    "$HOLOS_NS" run "$STATE" "$@"
}

# check DESCRIPTION CMD...: runs CMD, prints "ok: ..." or "FAIL: ..." with its output, and
# counts. Returns CMD's status, so a test can skip the steps that depend on it.
check() {
    local description=$1 output status=0
    shift
    output=$("$@" 2>&1) || status=$?
    if ((status == 0)); then
        e2e_pass "$description"
    else
        e2e_fail "$description (exit status $status)" "$output"
    fi
    return "$status"
}

# wait_until TIMEOUT_S DESCRIPTION CMD...: runs CMD every second until it succeeds; counts as
# one check. Returns 0 on success, 1 on timeout (reporting CMD's last output).
wait_until() {
    local timeout_s=$1 description=$2 output started=$SECONDS
    shift 2
    while true; do
        if output=$("$@" 2>&1); then
            e2e_pass "$description (after $((SECONDS - started)) s)"
            return 0
        fi
        if ((SECONDS - started >= timeout_s)); then
            e2e_fail "$description (not within $timeout_s s)" "$output"
            return 1
        fi
        sleep 1
    done
}

# Predicates for check; each prints what it saw, which check shows when it fails.

# output_is EXPECTED CMD...: CMD succeeds and prints exactly EXPECTED.
output_is() {
    local expected=$1 output status=0
    shift
    output=$("$@") || status=$?
    [ "$status" = 0 ] || { echo "$output"; echo "(exit status $status)"; return 1; }
    [ "$output" = "$expected" ] && return 0
    echo "expected \"$expected\", got:"
    echo "$output"
    return 1
}

# output_has ERE CMD...: CMD succeeds and its output matches the extended regex ERE.
output_has() {
    local pattern=$1 output status=0
    shift
    output=$("$@") || status=$?
    [ "$status" = 0 ] || { echo "$output"; echo "(exit status $status)"; return 1; }
    grep -qE -- "$pattern" <<<"$output" && return 0
    echo "no match for /$pattern/ in:"
    echo "$output"
    return 1
}

# expect_failure STATUS ERE CMD...: CMD exits with STATUS and says why in a single line (its
# stdout and stderr together) that matches ERE.
expect_failure() {
    local expected=$1 pattern=$2 output status=0
    shift 2
    output=$("$@" 2>&1) || status=$?
    echo "$output"
    echo "(exit status $status)"
    [ "$status" = "$expected" ] && [ "$(wc -l <<<"$output")" = 1 ] &&
        grep -qE -- "$pattern" <<<"$output"
}

# file_has ERE FILE: a line of FILE matches ERE.
file_has() {
    grep -qE -- "$1" "$2" && return 0
    echo "no match for /$1/ in $2:"
    cat "$2"
    return 1
}

# tcp_port_busy PORT: something accepts connections on 127.0.0.1:PORT.
tcp_port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# e2e_kill_on_exit PID: a host process the test started, killed by the exit trap.
e2e_kill_on_exit() {
    E2E_HOST_PIDS+=("$1")
}

# e2e_now_us, then e2e_seconds_since START_US: elapsed wall time as "12.3".
e2e_now_us() {
    echo "${EPOCHREALTIME/./}"
}

e2e_seconds_since() {
    local elapsed_us=$(($(e2e_now_us) - $1))
    printf '%d.%d\n' $((elapsed_us / 1000000)) $((elapsed_us % 1000000 / 100000))
}

e2e_pass() {
    echo "ok: $1"
    E2E_PASSED=$((E2E_PASSED + 1))
}

# The first failure dumps the machine's state: later steps (a `down`) may delete the
# console logs that explain it.
e2e_fail() {
    echo "FAIL: $1"
    [ -z "$2" ] || printf '%s\n' "$2" | sed 's/^/    /'
    E2E_FAILED=$((E2E_FAILED + 1))
    if ((E2E_DIAGNOSED == 0)); then
        e2e_diagnostics
    fi
}

e2e_diagnostics() {
    local log
    E2E_DIAGNOSED=1
    [ -n "$STATE" ] && [ -e "$STATE/pid" ] || return 0
    echo "---- last 50 lines of the journal in the test machine"
    ns journalctl --no-pager -n 50 2>&1 | sed 's/^/    /'
    while read -r log; do
        echo "---- $log (last 300 lines)"
        tail -n 300 "$log" | sed 's/^/    /'
    done < <(find "$STATE/lib/instances" -name console.log 2>/dev/null)
    echo "----"
}

# e2e_finish: the summary line, then exit 1 if any check failed (the exit trap cleans up).
e2e_finish() {
    echo "$E2E_PASSED passed, $E2E_FAILED failed"
    ((E2E_FAILED == 0)) || exit 1
    exit 0
}

e2e_cleanup() {
    local status=$1 pid
    trap - EXIT INT TERM
    [ -z "$E2E_GUARD_PID" ] || kill "$E2E_GUARD_PID" 2>/dev/null || true
    for pid in "${E2E_HOST_PIDS[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    if ((status != 0 && E2E_DIAGNOSED == 0)); then
        e2e_diagnostics
    fi
    if [ -n "$STATE" ]; then
        "$HOLOS_NS" stop "$STATE" || echo "$E2E_NAME: stopping the test machine failed" >&2
    fi
    if [ "${HOLOS_TEST_KEEP:-0}" = 1 ]; then
        echo "$E2E_NAME: kept $T"
    elif [ -n "$T" ]; then
        rm -rf "$T"
    fi
    exit "$status"
}

# Traps do not run when the test itself is SIGKILLed (a test runner's timeout). A watcher in
# its own session notices that and stops the machine, so its VMs do not run on unattended.
e2e_start_guard() {
    local keep=${HOLOS_TEST_KEEP:-0}
    # shellcheck disable=SC2016 # expanded by the watcher's shell
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done
        "$2" stop "$3"; [ "$4" = 1 ] || rm -rf "$5"' \
        holos-e2e-guard "$$" "$HOLOS_NS" "$STATE" "$keep" "$T" \
        </dev/null >/dev/null 2>&1 &
    E2E_GUARD_PID=$!
}

# Where `meson install --destdir` puts the files: DESTDIR + prefix. The harness mounts it on
# /usr/local, so only that prefix gives real install paths.
e2e_install() {
    local prefix
    prefix=$(meson introspect --buildoptions "$BUILD_DIR" | python3 -c 'import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))') ||
        e2e_die "cannot read the prefix of $BUILD_DIR"
    [ "$prefix" = /usr/local ] || e2e_die "$BUILD_DIR has prefix $prefix; the tests need /usr/local"
    meson install -C "$BUILD_DIR" --destdir "$T/destdir" --no-rebuild --quiet ||
        e2e_die "meson install failed"
    PREFIX=$T/destdir/usr/local
    mkdir -p "$PREFIX"
}

# holos.conf: /dev/kvm on the CI machines is a nested paravirtual one that hangs stock
# guest kernels, so guests run under TCG.
e2e_prepare_state() {
    STATE=$T/state
    mkdir -p "$STATE/etc" "$STATE/lib"
    echo "accel = tcg" >"$STATE/etc/holos.conf"
}

# e2e_setup BUILD_DIR SOURCE_DIR
e2e_setup() {
    (($# == 2)) || e2e_die "usage: $0 BUILD_DIR SOURCE_DIR"
    [ "$(id -u)" = 0 ] || e2e_die "must run as root (it boots systemd in a namespace)"
    BUILD_DIR=$(realpath -- "$1")
    SOURCE_DIR=$(realpath -- "$2")
    [ -f "$HOLOS_TEST_IMAGE" ] || e2e_die "no guest image at $HOLOS_TEST_IMAGE;" \
        "build it with $SOURCE_DIR/tools/build-guest-image.sh"

    T=$(mktemp -d /var/tmp/holos-e2e-"$E2E_NAME".XXXXXX)
    trap 'e2e_cleanup $?' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    STATE=$T/state
    e2e_start_guard

    e2e_install
    e2e_prepare_state
    NS_PID=$("$HOLOS_NS" start "$STATE" "$PREFIX") || e2e_die "the test machine did not boot"
    echo "$E2E_NAME: test machine pid $NS_PID, work dir $T"
    ns holosctl image import "$HOLOS_TEST_IMAGE" --name debian:12 >/dev/null ||
        e2e_die "importing $HOLOS_TEST_IMAGE as debian:12 failed"
}

# Tests that boot guests take this lock: the CI machines have 2 cores, enough for one
# TCG guest at a time. Call it before e2e_setup; the watcher inherits the lock, so a killed
# test holds it until its machine is stopped.
e2e_take_vm_lock() {
    exec {E2E_LOCK_FD}>/var/tmp/holos-e2e-vm.lock
    if ! flock -n "$E2E_LOCK_FD"; then
        echo "$E2E_NAME: waiting for another test's VM to finish"
        flock -w 1800 "$E2E_LOCK_FD" || e2e_die "waited 30 min for the VM lock"
    fi
}
