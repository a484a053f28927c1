#!/bin/bash
# End-to-end test of project networks: project "net" (db and web, two replicas each) and
# project "side" (one instance, on an overlapping subnet) run side by side. Every guest of
# "net" reaches every other by name and by address (ping and a TCP connect to sshd), the
# service name resolves to its replicas, "side" cannot reach "net"'s addresses, and a capture
# on the host's non-loopback interfaces sees none of the segments' traffic while the same
# capture on loopback sees plenty of it. Measures the throughput of a plain TCP copy between
# two guests and from the host to a guest; checks ps, holosctl port and outbound traffic.
#
#   tests/e2e/network.sh BUILD_DIR SOURCE_DIR     (root; 4-6 min; needs the guest image)
#
# Five guests with one vCPU each boot at once, so each boots slower than alone.
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
# shellcheck disable=SC2016 # the scripts run in guests expand their own variables
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

readonly kSshTimeoutS=420
readonly kCopyBytes=$((64 << 20))
# Project "net" as its first up allocates the addresses: file order from .2.
declare -rA kAddress=([db-0]=10.10.0.2 [db-1]=10.10.0.3 [web-0]=10.10.0.4 [web-1]=10.10.0.5)
readonly kInstances=(db-0 db-1 web-0 web-1)
readonly kMirrorUrl=http://deb.debian.org/debian/dists/bookworm/InRelease

write_projects() {
    mkdir -p "$T/net" "$T/side"
    cat >"$T/net/holos.yaml" <<'YAML'
name: net
x-small: &small
  vcpu: 1
  memory_mb: 512
services:
  db:
    image: debian:12
    replicas: 2
    ports: ["5001"]
    vm: *small
  web:
    image: debian:12
    replicas: 2
    vm: *small
YAML
    # Overlapping addresses on purpose: only the segments keep the projects apart.
    cat >"$T/side/holos.yaml" <<'YAML'
name: side
network:
  subnet: 10.10.0.0/28
services:
  solo:
    image: debian:12
    vm:
      vcpu: 1
      memory_mb: 512
YAML
}

# in_guest PROJECT INSTANCE SCRIPT [ARG...]: runs a bash script in the guest as root.
in_guest() {
    local project=$1 instance=$2 script=$3
    shift 3
    ns holosctl exec -p "$project" -T -w 10 "$instance" -- bash -c "$script" guest "$@"
}

ssh_answers() {
    in_guest "$1" "$2" true
}

registration_value() {
    ns python3 -c 'import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value[key]
print(value)' "/run/holos/projects/$1/registration.json" "${@:2}"
}

# ---- the capture ---------------------------------------------------------------------------

CAPTURES=()

# Every interface that is up, but loopback, "eth0@if12" shortened to "eth0".
outside_interfaces() {
    ip -o link show up | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -vx lo
}

# start_capture NAME INTERFACE FILTER: tcpdump writing $T/NAME.pcap until the test ends.
start_capture() {
    local name=$1 interface=$2 filter=$3
    tcpdump -p -n -U -i "$interface" -w "$T/$name.pcap" "$filter" 2>"$T/$name.log" &
    e2e_kill_on_exit $!
    CAPTURES+=("$name:$!")
}

# capture_filter: the segments' datagrams, the guests' addresses leaking as plain IP, and
# any IGMP membership of the groups.
capture_filter() {
    local net_group side_group
    net_group=$(registration_value net network group)
    side_group=$(registration_value side network group)
    echo "host $net_group or host $side_group or net 10.10.0.0/24"
}

start_captures() {
    local filter interface
    filter=$(capture_filter)
    echo "    capture filter: $filter"
    start_capture lo lo "$filter"
    for interface in $(outside_interfaces); do
        start_capture "if-$interface" "$interface" "$filter"
    done
    sleep 1 # tcpdump has opened its interfaces
}

packets_in() {
    tcpdump -n -r "$T/$1.pcap" 2>/dev/null | wc -l
}

stop_captures() {
    local capture
    for capture in "${CAPTURES[@]}"; do
        kill -INT "${capture#*:}" 2>/dev/null
        wait "${capture#*:}" 2>/dev/null
    done
}

report_captures() {
    local capture
    for capture in "${CAPTURES[@]}"; do
        echo "    capture on ${capture%%:*}: $(packets_in "${capture%%:*}") packets"
    done
}

# Loopback carries the segments, which proves the filter matches their traffic.
loopback_saw_the_segments() {
    local packets
    packets=$(packets_in lo)
    echo "loopback: $packets packets"
    tcpdump -n -r "$T/lo.pcap" 2>/dev/null | head -3
    ((packets > 1000))
}

outside_saw_nothing() {
    local capture name packets total=0 interfaces=0
    for capture in "${CAPTURES[@]}"; do
        name=${capture%%:*}
        [ "$name" != lo ] || continue
        interfaces=$((interfaces + 1))
        packets=$(packets_in "$name")
        echo "${name#if-}: $packets packets"
        tcpdump -n -r "$T/$name.pcap" 2>/dev/null | head -5
        total=$((total + packets))
    done
    ((interfaces > 0)) || { echo "no interface but loopback is up: nothing was watched"; return 1; }
    ((total == 0))
}

# ---- what the guests see --------------------------------------------------------------------

# Run in a guest, once: its addresses, the project lines of its /etc/hosts, then for each
# NAME=ADDRESS argument whether the name resolves to the address and whether ping and a TCP
# connect to sshd work, by name and by address. Each fact is one line the checks look for.
readonly kSurvey='
ip -br -4 addr | sed "s/^/addr /"
grep "^10\." /etc/hosts | sed "s/^/hosts /"
reach() {
    local name=${1%=*} address=${1#*=} problems="" target banner resolved
    resolved=$(getent ahostsv4 "$name" | awk "NR == 1 {print \$1}")
    [ "$resolved" = "$address" ] || problems+=" $name resolves to \"$resolved\";"
    for target in "$name" "$address"; do
        ping -c 1 -W 3 "$target" >/dev/null || problems+=" no ping reply from $target;"
        banner=$(timeout 5 bash -c "exec 3<>/dev/tcp/$target/22 && head -c 7 <&3")
        [ "$banner" = SSH-2.0 ] || problems+=" no TCP connect to $target:22;"
    done
    echo "reach $name $address${problems:- ok}"
}
for pair in "$@"; do reach "$pair" & done
wait
ip neigh show 10.10.0.2 | sed "s/^/neigh /"
for name in db web; do
    echo "first $name $(getent ahostsv4 $name | awk "NR == 1 {print \$1}")"
done'

# survey PROJECT INSTANCE NAME=ADDRESS...: the survey's lines, saved for the checks.
survey() {
    in_guest "$1" "$2" "$kSurvey" "${@:3}" >"$T/survey-$1-$2.txt" 2>&1
}

# survey_has PROJECT INSTANCE ERE...: every pattern matches a line of the saved survey.
survey_has() {
    local file=$T/survey-$1-$2.txt pattern
    for pattern in "${@:3}"; do
        grep -qE -- "$pattern" "$file" || { echo "no line /$pattern/ in:"; cat "$file"; return 1; }
    done
}

survey_reached_all() {
    local file=$T/survey-net-$1.txt
    cat "$file"
    [ "$(grep -c '^reach .* ok$' "$file")" = 3 ]
}

survey_net() {
    local from=$1 instance targets=()
    for instance in "${kInstances[@]}"; do
        [ "$instance" = "$from" ] || targets+=("$instance=${kAddress[$instance]}")
    done
    survey net "$from" "${targets[@]}"
}

# "web" gives both replicas through getaddrinfo and answers a ping and a connect.
readonly kServiceName='
echo "getent ahostsv4 web:"; getent ahostsv4 web | awk "{print \$1, \$2}" | sort -u
echo "getent hosts web: $(getent hosts web)"
all=$(getent ahostsv4 web | awk "{print \$1}" | sort -u | tr "\n" " ")
[ "$all" = "10.10.0.4 10.10.0.5 " ] || { echo "web resolves to $all"; exit 1; }
ping -c 1 -W 3 web || exit 1
python3 -c "import socket
s = socket.create_connection((\"web\", 22), 5)
print(\"connected to\", s.getpeername()[0])"'

# Run in side's guest: none of the addresses answers a ping.
readonly kUnreachable='
for address in "$@"; do
    (ping -c 2 -W 2 "$address" >/dev/null && echo "answer from $address" ||
        echo "no answer from $address") &
done
wait'

side_reaches_none() {
    local out
    out=$(in_guest side solo-0 "$kUnreachable" 10.10.0.3 10.10.0.4 10.10.0.5)
    echo "$out"
    ! grep -q '^answer' <<<"$out" && [ "$(grep -c '^no answer' <<<"$out")" = 3 ]
}

segment_mac_of() {
    ns systemctl cat "$1" | grep -o 'netdev=net1,mac=[0-9a-f:]*' | sed 's/.*mac=//'
}

# ---- throughput ----------------------------------------------------------------------------

# A sink that counts what one connection sends, from its first byte to its end.
readonly kSink='
import socket, time
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("0.0.0.0", 5001))
server.listen(1)
print("listening", flush=True)
connection, peer = server.accept()
received, started = 0, None
while True:
    data = connection.recv(1 << 20)
    if not data:
        break
    started = started or time.monotonic()
    received += len(data)
seconds = time.monotonic() - started
print(f"{received} bytes in {seconds:.2f} s: {received / seconds / 1e6:.1f} MB/s", flush=True)'

# start_sink INSTANCE OUT: the sink runs in the guest, its output goes to OUT on the host.
start_sink() {
    in_guest net "$1" 'exec python3 -c "$1"' "$kSink" >"$2" 2>&1 &
    SINK_PID=$!
    wait_until 60 "the sink in $1 listens" grep -q listening "$2"
}

# The sink's exec ends when it has reported; the wait runs in this shell, its parent.
sink_received_all() {
    cat "$1"
    grep -q "^$kCopyBytes bytes in" "$1"
}

measure_guest_to_guest() {
    local out=$T/sink-guest.txt
    start_sink web-1 "$out" || return
    check "db-0 sends $kCopyBytes bytes to web-1 over the segment" in_guest net db-0 \
        'head -c "$1" /dev/zero >/dev/tcp/web-1/5001' "$kCopyBytes"
    wait "$SINK_PID"
    check "web-1 received all of it" sink_received_all "$out"
    echo "    guest to guest (db-0 -> web-1, project network): $(tail -n 1 "$out")"
}

measure_host_to_guest() {
    local out=$T/sink-host.txt port
    port=$(ns holosctl port -p net db-0 5001 | sed 's/.*://')
    start_sink db-0 "$out" || return
    check "the host sends $kCopyBytes bytes to db-0 through its forward" python3 -c '
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), 10) as s:
    block = bytes(1 << 20)
    for _ in range(int(sys.argv[2]) >> 20):
        s.sendall(block)' "$port" "$kCopyBytes"
    wait "$SINK_PID"
    check "db-0 received all of it" sink_received_all "$out"
    echo "    host to guest (127.0.0.1:$port -> db-0:5001, user-mode network): $(tail -n 1 "$out")"
}

# ---- host-side views -----------------------------------------------------------------------

ps_shows_addresses() {
    ns holosctl ps -p net --json | python3 -c '
import json, sys
rows = {row["instance"]: row["ip"] for row in json.load(sys.stdin)}
print(rows)
assert rows == dict(arg.split("=") for arg in sys.argv[1:]), "addresses"
' "db-0=10.10.0.2" "db-1=10.10.0.3" "web-0=10.10.0.4" "web-1=10.10.0.5"
}

segments_differ() {
    local net side
    net=$(registration_value net network group):$(registration_value net network port)
    side=$(registration_value side network group):$(registration_value side network port)
    echo "net $net, side $side"
    [ "${net%:*}" != "${side%:*}" ] && [ "${net#*:}" != "${side#*:}" ]
}

port_of_service_is_ambiguous() {
    local status=0
    ns holosctl port -p net web 22 || status=$?
    [ "$status" = 2 ]
}

port_not_forwarded() {
    local status=0
    ns holosctl port -p net web-0 80 || status=$?
    [ "$status" = 1 ]
}

readonly kFetch='
import sys, urllib.request
print(len(urllib.request.urlopen(sys.argv[1], timeout=20).read()), "bytes")'

host_reaches_mirror() {
    curl -fsS -o /dev/null --max-time 10 "$kMirrorUrl"
}

check_outbound() {
    if ! host_reaches_mirror; then
        echo "    skipped: the host cannot reach $kMirrorUrl either"
        return
    fi
    check "web-0 fetches from Debian's mirror through the user-mode network" in_guest net web-0 \
        'python3 -c "$1" "$2"' "$kFetch" "$kMirrorUrl"
}

# ---- the test ------------------------------------------------------------------------------

bring_up() {
    local started
    started=$(e2e_now_us)
    check "up of net exits 0 and names the addresses" output_has \
        "net/web-1 running, ip 10\.10\.0\.5," ns holosctl up -f "$T/net/holos.yaml" || return 1
    check "up of side exits 0" output_has "side/solo-0 running, ip 10\.10\.0\.2," \
        ns holosctl up -f "$T/side/holos.yaml" || return 1
    start_captures
    local instance
    for instance in "${kInstances[@]}"; do
        wait_until "$kSshTimeoutS" "net/$instance answers over SSH" ssh_answers net "$instance" ||
            return 1
    done
    wait_until "$kSshTimeoutS" "side/solo-0 answers over SSH" ssh_answers side solo-0 || return 1
    echo "    all five guests answered $(e2e_seconds_since "$started") s after the first up"
}

check_names_and_addresses() {
    local instance address
    for instance in "${kInstances[@]}"; do
        survey_net "$instance"
        address=${kAddress[$instance]}
        check "$instance has $address on its project NIC" \
            survey_has net "$instance" "^addr .* ${address//./\\.}/24"
        check "$instance's /etc/hosts names every instance and service" survey_has net \
            "$instance" "^hosts 10\.10\.0\.2 db-0 db$" "^hosts 10\.10\.0\.3 db-1 db$" \
            "^hosts 10\.10\.0\.4 web-0 web$" "^hosts 10\.10\.0\.5 web-1 web$"
        check "$instance reaches every other guest by name and address (ping, TCP)" \
            survey_reached_all "$instance"
    done
    for instance in "${kInstances[@]}"; do
        echo "    $instance: the first address of $(grep '^first' "$T/survey-net-$instance.txt" |
            sed 's/^first //' | paste -sd, | sed 's/,/, of /')"
    done
    check "the service name web resolves to both replicas and answers" \
        in_guest net db-0 "$kServiceName"
}

check_isolation() {
    local db0_mac
    db0_mac=$(segment_mac_of holos-net-db@0.service)
    check "the projects got different multicast groups and ports" segments_differ
    check "net's 10.10.0.2 is db-0 ($db0_mac), not side's solo-0" \
        survey_has net db-1 "^neigh 10\.10\.0\.2 .*lladdr $db0_mac"
    survey side solo-0
    check "side/solo-0 has 10.10.0.2/28 and names only itself" survey_has side solo-0 \
        '^addr .* 10\.10\.0\.2/28' '^hosts 10\.10\.0\.2 solo-0 solo$'
    check "side/solo-0 cannot reach net's 10.10.0.3-5" side_reaches_none
}

check_host_views() {
    check "ps --json shows each instance's address" ps_shows_addresses
    check "ps shows the IP column" output_has \
        "^net +web-1 +active \(running\) +- +[0-9smh]+ +10\.10\.0\.5 " ns holosctl ps -p net
    check "port db-0 5001 is the allocated forward" output_is \
        "127.0.0.1:$(registration_value net allocated_ports db-0 5001/tcp)" \
        ns holosctl port -p net db-0 5001
    check "port db-1 22 is db-1's SSH forward" output_is \
        "127.0.0.1:$(registration_value net ssh_ports db-1)" ns holosctl port -p net db-1 22
    check "port of a service with two replicas is a usage error" port_of_service_is_ambiguous
    check "port of a guest port without a forward fails" port_not_forwarded
}

main() {
    e2e_take_vm_lock
    e2e_setup "$@"
    local started
    started=$(e2e_now_us)
    write_projects
    if bring_up; then
        check_names_and_addresses
        check_isolation
        check_host_views
        check_outbound
        echo "    checks done $(e2e_seconds_since "$started") s after setup"
        measure_guest_to_guest
        measure_host_to_guest
    fi
    stop_captures
    report_captures
    check "the capture on loopback saw the segments' traffic" loopback_saw_the_segments
    check "the captures on the other interfaces saw none of it" outside_saw_nothing
    local down
    down=$(e2e_now_us)
    check "down of side exits 0" ns holosctl down -f "$T/side/holos.yaml"
    check "down of net exits 0" ns holosctl down -f "$T/net/holos.yaml"
    echo "    both downs took $(e2e_seconds_since "$down") s"
    echo "    the test took $(e2e_seconds_since "$started") s after setup"
    e2e_finish
}

main "$@"
