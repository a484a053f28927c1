#!/bin/bash
# Installs everything holos needs to build, test and run, from Debian 12 packages.
set -euo pipefail

packages=(
    # build
    meson ninja-build g++ pkg-config
    libsystemd-dev libyaml-cpp-dev libssh-dev libcli11-dev libfmt-dev nlohmann-json3-dev
    libisofs-dev libcurl4-openssl-dev libssl-dev libgtest-dev libgmock-dev zlib1g-dev
    libpugixml-dev
    # schema tests and the parser fuzzer (clang 14's libFuzzer runtime)
    python3-jsonschema python3-yaml clang libclang-rt-14-dev
    # run
    qemu-system-x86 qemu-utils systemd systemd-container ovmf pci.ids
    # guest image recipe and tests
    mmdebstrap extlinux syslinux-common fdisk e2fsprogs curl python3 procps util-linux
    openssh-client
    # the network test watches the host's interfaces
    tcpdump iproute2
    # benchmarks: the seed figure's baseline (bench/run.sh)
    genisoimage
)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
