# shellcheck shell=bash
# holosctl logs and journalctl: QEMU's and the manager's messages and the guest's serial
# console, prefixed by instance; -f shows a line the guest writes within a second or two.
# shellcheck disable=SC2317 # the predicates below are called through check
# shellcheck disable=SC2154 # kProject, kInstance and kUnit come from day2.sh

# A line written to the guest's console appears in `logs -f` output within 5 s; how long it
# took goes to $T/follow.latency. The follower is ended inside the machine: killing the
# local nsenter would leave it running there.
logs_follow_sees_guest_line() {
    local out=$T/follow.out marker="marker-$RANDOM-$RANDOM" started_us waited
    ns timeout 60 holosctl logs -p "$kProject" -f -n 0 "$kInstance" >"$out" 2>&1 &
    local follower=$!
    sleep 1
    ns holosctl exec -p "$kProject" "$kInstance" -- sh -c "echo $marker >/dev/ttyS0"
    started_us=$(e2e_now_us)
    for ((waited = 0; waited < 50; waited++)); do
        grep -q "^$kInstance | $marker\$" "$out" && break
        sleep 0.1
    done
    e2e_seconds_since "$started_us" >"$T/follow.latency"
    ns pkill -INT -f "holosctl logs -p $kProject -f"
    wait "$follower"
    cat "$out"
    grep -q "^$kInstance | $marker\$" "$out"
}

logs_checks() {
    check "logs shows the guest console, prefixed by instance" \
        output_has "^$kInstance \| .*Cloud-init v\. .* finished" ns holosctl logs -p "$kProject"
    check "logs shows the manager's messages with their program" \
        output_has "^$kInstance \| systemd: Started holos-hello-web@0.service - holos project hello: web-0" \
        ns holosctl logs -p "$kProject" web
    check "logs --tail 3 prints three lines" \
        output_has '^3$' sh -c "'$HOLOS_NS' run '$STATE' holosctl logs -p $kProject \
            --tail 3 | wc -l"
    check "logs --timestamps puts the time first" \
        output_has "^$kInstance \| [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{4} " \
        ns holosctl logs -p "$kProject" --timestamps --tail 1
    check "logs --since in the future prints nothing" \
        output_is "" ns holosctl logs -p "$kProject" --since "2099-01-01"
    check "logs --since with a bad time is a usage error naming it" \
        expect_failure 2 'bogus' ns holosctl logs -p "$kProject" --since bogus
    check "journalctl -u shows the guest console too" \
        output_has 'Cloud-init v\. .* finished' ns journalctl -u "$kUnit" --no-pager
    check "logs -f prints a line the guest writes" logs_follow_sees_guest_line &&
        echo "    seen $(cat "$T/follow.latency") s after the exec that wrote it returned"
}

logs_checks
