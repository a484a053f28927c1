# shellcheck shell=bash
# holosctl ps against the running hello guest: the table shows resource use, --json matches
# lib/ps.schema.json and what systemd reports, -q and instance names narrow the output.
# shellcheck disable=SC2317 # the predicates below are called through check
# shellcheck disable=SC2154 # kProject, kInstance and kUnit come from day2.sh

ps_schema_valid() {
    ns holosctl ps -p "$kProject" --json |
        python3 "$SOURCE_DIR/tests/schema/validate_ps.py" "$SOURCE_DIR/lib/ps.schema.json"
}

# ps_json_agrees MAIN_PID: the one instance is web-0, running as MAIN_PID, with QEMU's memory,
# CPU time and uptime as procps reads them just after, the fixed forward, an SSH port and the
# first address of the project network.
ps_json_agrees() {
    local json qemu
    json=$(ns holosctl ps -p "$kProject" --json) || return 1
    # RSS in KiB, elapsed and CPU seconds
    qemu=$(ns ps -o rss=,etimes=,cputimes= -p "$1") || return 1
    python3 -c '
import json, sys
rows = json.loads(sys.argv[3])
print(json.dumps(rows, indent=2))
rss_kib, elapsed_s, cpu_s = (int(word) for word in sys.argv[4].split())
print("procps: rss", rss_kib, "KiB, elapsed", elapsed_s, "s, cpu", cpu_s, "s")
(web,) = rows
assert web["instance"] == "web-0" and web["unit"] == sys.argv[1], "names"
assert web["active_state"] == "active" and web["sub_state"] == "running", "state"
assert web["pid"] == int(sys.argv[2]), "pid is not MainPID " + sys.argv[2]
assert abs(web["memory_bytes"] / 1024 - rss_kib) <= rss_kib / 5, "memory is not QEMU RSS"
assert abs(web["cpu_usage_ns"] / 1e9 - cpu_s) <= 2, "cpu is not QEMU CPU time"
assert abs(web["uptime_s"] - elapsed_s) <= 2 and web["started_at"], "uptime is not QEMU age"
assert web["ports"][0]["host_port"] == 8080 and web["ssh_port"], "ports"
assert web["ip"] == "10.10.0.2", "ip"
' "$kUnit" "$1" "$json" "$qemu"
}

ps_checks() {
    local main_pid row
    main_pid=$(ns systemctl show -p MainPID --value "$kUnit")
    # PROJECT INSTANCE STATE HEALTH UPTIME IP PORTS SSH PID MEMORY CPU
    row="^hello +web-0 +active \(running\) +- +[0-9]+[smhd]([0-9]{2}[smh])? +10\.10\.0\.2 +"
    row+="127\.0\.0\.1:8080->80/tcp +127\.0\.0\.1:[0-9]+ +$main_pid +"
    row+="[0-9.]+[KMGT] +[0-9][0-9.msdh]*$"
    check "ps shows web-0 running with uptime, PID, memory and CPU" \
        output_has "$row" ns holosctl ps -p "$kProject"
    check "ps without a project lists every project" output_has "^hello +web-0 " ns holosctl ps
    check "ps --json validates against lib/ps.schema.json" ps_schema_valid
    check "ps --json agrees with systemd (MainPID $main_pid)" ps_json_agrees "$main_pid"
    check "ps -q prints the instance name" output_is "$kInstance" ns holosctl ps -q -p "$kProject"
    check "ps narrows to a service by name" output_is "$kInstance" \
        ns holosctl ps -q -p "$kProject" web
    check "ps of an unknown instance is a usage error" ps_unknown_instance_fails
}

ps_unknown_instance_fails() {
    local status=0
    ns holosctl ps -p "$kProject" web-9 || status=$?
    [ "$status" = 2 ]
}

ps_checks
