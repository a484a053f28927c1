#!/bin/bash
# Every unit the generator writes, for every golden case and every example, passes
# `systemd-analyze verify`. It runs inside the test machine, where the holos programs are
# installed at the paths the units name (verify checks that each command exists).
#
#   tests/e2e/verify-units.sh BUILD_DIR SOURCE_DIR     (root; a few seconds, no guest)
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(realpath -- "$0")")/lib.sh"

# write_trees: the generated tree of each golden case and example, under $T/units/NAME/.
write_trees() {
    local generator=$BUILD_DIR/generator/holos-generator
    python3 "$SOURCE_DIR/tests/golden/run_golden.py" "$generator" "$SOURCE_DIR/tests/golden" \
        --write-to "$T/units" || return 1
    # Whole directories: an example's bind mounts name directories beside its file.
    mkdir -p "$T/examples"
    cp -r "$SOURCE_DIR"/examples/*/ "$T/examples/"
    python3 "$SOURCE_DIR/tests/golden/run_golden.py" "$generator" "$T/examples" \
        --write-to "$T/units"
}

# units_of DIR: the unit files in DIR plus one instance name per template, from the links.
# Templates are verified through their instances (verify follows an instance's
# dependencies to its health, volume and virtiofs units).
units_of() {
    local dir=$1
    find "$dir" -maxdepth 1 -type f ! -name '*@.*' | sort
    find "$dir" -path '*.wants/*' -type l -printf "$dir/%f\n" | sort
}

# verifies DIR: systemd-analyze verify accepts every unit of DIR and prints nothing.
verifies() {
    local dir=$1 output
    mapfile -t units < <(units_of "$dir")
    output=$(ns systemd-analyze verify --man=no "${units[@]}" 2>&1) || { echo "$output"; return 1; }
    [ -z "$output" ] || { echo "$output"; return 1; }
}

e2e_setup "$@"
check "the generated trees are written" write_trees
for tree in "$T"/units/*/; do
    check "$(basename "$tree"): systemd-analyze verify is clean" verifies "${tree%/}"
done
e2e_finish
