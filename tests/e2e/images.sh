#!/bin/bash
# End-to-end test of images: a project whose image comes from the catalogue is brought up,
# and the image unit that systemd runs pulls it from a loopback HTTP server standing in for
# the distribution's site (tests/images/image_server.py, reached through image_mirror). The
# image is a blank disk, so QEMU starts but no guest boots. Then: the overlay sits on the
# digest path, a restart pulls nothing, the offline verbs send no request, a pull that fails
# (404) fails up with the image unit's messages, and image build files debian:12 from the
# build cache.
#
#   tests/e2e/images.sh BUILD_DIR SOURCE_DIR     (root; about 30 s with a warm build cache;
#                                                 a cold one builds the guest image, ~3 min)
# shellcheck disable=SC2317 # the predicates below are called through check and wait_until
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

readonly kServer=$E2E_DIR/../images/image_server.py

start_server() {
    mkdir -p "$T/www"
    python3 "$kServer" serve "$T/www" "$T/port" 900 &
    e2e_kill_on_exit $!
    wait_until 10 "the loopback image server is up" test -s "$T/port" || e2e_finish
    PORT=$(cat "$T/port")
    printf 'image_mirror = http://127.0.0.1:%s\npull_stall_timeout = 5\n' "$PORT" \
        >>"$STATE/etc/holos.conf"
}

# publish IMAGE FILE: serves FILE as the catalogue's IMAGE, with its checksum file.
publish() {
    ns holosctl images --json | python3 -c "import json, sys
entries = json.load(sys.stdin)['catalogue']
print(json.dumps(next(e for e in entries if e['image'] == sys.argv[1])))" "$1" >"$T/entry.json"
    python3 "$kServer" publish "$T/www" "$T/entry.json" "$2"
}

write_project() {
    local name=$1 image=$2
    mkdir -p "$T/$name"
    cat >"$T/$name/holos.yaml" <<YAML
name: $name
services:
  box:
    image: $image
    stop_grace_period: 1s
    vm:
      memory_mb: 128
YAML
    echo "$T/$name/holos.yaml"
}

request_count() {
    [ -f "$T/www/requests.log" ] || { echo 0; return; }
    wc -l <"$T/www/requests.log"
}

# requests_are N: the server has had exactly N requests.
requests_are() {
    local now
    now=$(request_count)
    echo "$now requests (expected $1)"
    [ "$now" = "$1" ]
}

backing_file() {
    ns qemu-img info -U --output=json "$1" | python3 -c \
        'import json, sys; print(json.load(sys.stdin)["backing-filename"])'
}

stored_field() {
    ns holosctl images --json | python3 -c "import json, sys
print(next(i for i in json.load(sys.stdin)['store'] if i['image'] == sys.argv[1])[sys.argv[2]])" \
        "$1" "$2"
}

e2e_setup "$@"
start_server
qemu-img create -q -f qcow2 "$T/blank.qcow2" 64M
sha256=$(publish alpine:3.23 "$T/blank.qcow2")
file=$(write_project pulled alpine)

check "validate succeeds" ns holosctl validate -f "$file"
check "config succeeds" ns holosctl config -f "$file"
check "validate and config sent no request" requests_are 0

started=$(e2e_now_us)
check "up pulls the image and starts the instance" \
    output_has "pulling alpine:3.23 before its instances start" ns holosctl up -f "$file"
echo "up with the pull took $(e2e_seconds_since "$started") s"
check "the image unit ran the pull" \
    output_has "pulled alpine:3.23: /var/lib/holos/images/blobs/sha256/$sha256" \
    ns journalctl --no-pager -u holos-pulled-image@alpine:3.23.service
check "the image unit ordered itself after network-online.target" \
    output_has "network-online.target" \
    ns systemctl show -p After --value holos-pulled-image@alpine:3.23.service
check "the instance is active" output_is active ns systemctl is-active holos-pulled-box@0.service
check "the overlay's backing file is the digest path, not the name" \
    output_is "/var/lib/holos/images/blobs/sha256/$sha256" \
    backing_file /var/lib/holos/instances/pulled/box-0/overlay.qcow2
check "the store lists the pulled image" output_is pull stored_field alpine:3.23 source
requests=$(request_count)
check "the pull fetched the checksum file, then the image" requests_are 2

check "a restart of the instance succeeds" ns systemctl restart holos-pulled-box@0.service
check "the restart's image unit found the image in the store" \
    output_has "alpine:3.23 is in the store" \
    ns journalctl --no-pager -u holos-pulled-image@alpine:3.23.service
check "ps succeeds" ns holosctl ps -p pulled
check "down succeeds" ns holosctl down -f "$file"
check "restart, ps and down sent no request" requests_are "$requests"

publish fedora:43 "$T/blank.qcow2" >/dev/null
echo '{"/download.fedoraproject.org/pub/fedora/linux/releases/43/Cloud/x86_64/images/Fedora-Cloud-Base-Generic-43-1.6.x86_64.qcow2": {"mode": "missing"}}' \
    >"$T/www/rules.json"
broken=$(write_project broken fedora:43)
ns holosctl up -f "$broken" >"$T/up.out" 2>"$T/up.err"
check "up of an image that cannot be pulled exits 1" test $? = 1
check "up names the failed image unit" \
    file_has "image fedora:43 \(holos-broken-image@fedora:43.service\) failed" "$T/up.err"
check "up shows the pull's cause" file_has "HTTP 404" "$T/up.err"
check "nothing entered the store" \
    output_is "alpine:3.23 debian:12" ns sh -c "holosctl images --json | python3 -c \"import json, sys
print(' '.join(sorted(i['image'] for i in json.load(sys.stdin)['store'])))\""
check "down of the broken project succeeds" ns holosctl down -f "$broken"

started=$(e2e_now_us)
check "image build files debian:12" output_has "stored debian:12 " ns holosctl image build debian:12
echo "image build took $(e2e_seconds_since "$started") s"
check "the store says debian:12 was built" output_is build stored_field debian:12 source
check "verify --all passes" ns holosctl verify --all

e2e_finish
