# shellcheck shell=bash
# holosctl cp: a file into the guest and back, byte for byte and with its mode.
# shellcheck disable=SC2317 # the predicates below are called through check
# shellcheck disable=SC2154 # kProject, kInstance and kUnit come from day2.sh

cp_round_trip() {
    head -c 1048573 /dev/urandom >"$T/blob"
    chmod 0640 "$T/blob"
    ns holosctl cp -p "$kProject" "$T/blob" "$kInstance:/root/blob" &&
        ns holosctl cp -p "$kProject" "$kInstance:/root/blob" "$T/blob.back" &&
        cmp "$T/blob" "$T/blob.back" && [ "$(stat -c %a "$T/blob.back")" = 640 ]
}

cp_into_a_directory() {
    mkdir -p "$T/into"
    ns holosctl cp -p "$kProject" "$kInstance:/srv/www/index.html" "$T/into" &&
        grep -q 'hello from holos' "$T/into/index.html"
}

cp_checks() {
    check "cp copies 1 MiB in and out byte for byte, mode 0640 kept" cp_round_trip
    check "the guest saw the same bytes" output_is "$(sha256sum <"$T/blob" | cut -d' ' -f1)" \
        sh -c "'$HOLOS_NS' run '$STATE' holosctl exec -p $kProject $kInstance -- \
            sha256sum /root/blob | cut -d' ' -f1"
    check "cp into a local directory keeps the file's name" cp_into_a_directory
    check "cp of a missing guest file fails naming it" \
        expect_failure 1 '/nonexistent' ns holosctl cp -p "$kProject" \
        "$kInstance:/nonexistent" "$T/x"
}

cp_checks
