# shellcheck shell=bash
# holosctl run, sourced by day2.sh once the hello project is down (one guest at a time): a
# one-off VM from flags, reached by the other verbs, and removed by down without a trace.
# shellcheck disable=SC2317 # the predicates below are called through check
# shellcheck disable=SC2154 # kProject, kInstance and kUnit come from day2.sh

readonly kRunName=oneoff

run_prints_next_steps() {
    mkdir -p "$T/work" && cd "$T/work" || return 1
    ns holosctl run --name "$kRunName" --memory 768M --vcpu 2 -p 18080:80 \
        --runcmd 'echo provisioned >/root/runcmd' debian:12 | tee "$T/run.out"
    local status=${PIPESTATUS[0]}
    cd - >/dev/null || return 1
    [ "$status" = 0 ] && grep -q "holosctl exec -p $kRunName vm" "$T/run.out" &&
        grep -q "holosctl down -p $kRunName" "$T/run.out"
}

# Nothing of the one-off VM is left: units, registration, compose file, disks, key.
run_left_nothing() {
    local left
    left=$(ns systemctl list-units --all --no-legend "holos-$kRunName*")
    echo "units: $left"
    [ -z "$left" ] && ! ns test -e "/run/holos/projects/$kRunName" &&
        [ ! -e "$STATE/lib/run/$kRunName" ] && [ ! -e "$STATE/lib/instances/$kRunName" ] &&
        [ ! -e "$STATE/lib/projects/$kRunName" ]
}

run_checks() {
    check "run starts a one-off VM and prints the exec and down commands" \
        run_prints_next_steps || return
    check "the compose file run wrote is in the state directory" \
        file_has '18080:80' "$STATE/lib/run/$kRunName/holos.yaml"
    check "ps lists the one-off VM" output_has "^$kRunName +vm-0 +active" \
        ns holosctl ps -p "$kRunName"
    check "exec reaches it once booted, with --memory and --runcmd applied" \
        output_is "provisioned 7" ns holosctl exec -w 300 -p "$kRunName" vm -- sh -c \
        'cloud-init status --wait >/dev/null; echo "$(cat /root/runcmd)" \
            $(($(sed -n "s/MemTotal: *\([0-9]*\) kB/\1/p" /proc/meminfo) / 100000))'
    check "down removes it" ns holosctl down -p "$kRunName"
    check "nothing of it is left" run_left_nothing
}

run_checks
