#!/bin/bash
# Builds a Debian 12 cloud-init guest from Debian packages alone, as a compressed qcow2 with
# a BIOS bootloader, so tests and the demo need no cloud image download. Installed as
# libexec/holos/build-guest-image.sh, it is what `holosctl image build debian:12` runs.
#
#   tools/build-guest-image.sh [OUT_DIR]      (default /var/cache/holos/build/debian-12)
#
# The result is cached: OUT_DIR/base.qcow2 is rebuilt only when this script changes.
# Needs root (mmdebstrap --mode=root, a loop mount for extlinux) and Debian's package mirror.
set -euo pipefail

out=${1:-/var/cache/holos/build/debian-12}
mirror=${HOLOS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${HOLOS_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
disk_mib=2048
part_offset=$((1024 * 1024))
recipe_hash=$(sha256sum "$0" | cut -d' ' -f1)

if [ -f "$out/base.qcow2" ] && [ "$(cat "$out/recipe" 2>/dev/null)" = "$recipe_hash" ]; then
    echo "guest image up to date: $out/base.qcow2"
    exit 0
fi

work=$(mktemp -d /var/tmp/holos-image.XXXXXX)
mnt=""
cleanup() {
    [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; [ -n "$mnt" ] && rmdir "$mnt"
    rm -rf "$work"
}
trap cleanup EXIT

# cloud-init settings baked into the image. Each one saves boot time under emulation:
# no probing of other clouds, one fast host key type, no locale generation, no GRUB probe.
cloud_cfg='datasource_list: [ NoCloud, None ]
system_info:
  network:
    renderers: [ networkd ]
ssh_genkeytypes: [ ed25519 ]
manage_etc_hosts: true
grub_dpkg:
  enabled: false'

# A static NIC never receives an IPv6 router advertisement, so plain wait-online would hold
# cloud-init back for its whole NDisc timeout; one configured link is enough.
wait_online_dropin='[Service]
ExecStart=
ExecStart=/lib/systemd/systemd-networkd-wait-online --any --timeout=60'

mmdebstrap --variant=apt --mode=root \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --hook-dir=/usr/share/mmdebstrap/hooks/eatmydata \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --aptopt='APT::Install-Recommends "false"' \
    --include=systemd-sysv,udev,dbus,kmod,linux-image-cloud-amd64,initramfs-tools,zstd \
    --include=cloud-init,cloud-guest-utils,sudo,openssh-server,iproute2,iputils-ping \
    --include=e2fsprogs,python3,ca-certificates \
    --customize-hook='chroot "$1" systemctl enable systemd-networkd.service' \
    --customize-hook='chroot "$1" systemctl mask e2scrub_reap.service e2scrub_all.timer' \
    --customize-hook='rm -f "$1"/etc/ssh/ssh_host_*' \
    --customize-hook='echo debian > "$1"/etc/hostname' \
    --customize-hook=': > "$1"/etc/machine-id; rm -f "$1"/var/lib/dbus/machine-id' \
    --customize-hook='echo "LABEL=root / ext4 rw,discard,errors=remount-ro 0 1" > "$1"/etc/fstab' \
    --customize-hook='echo LANG=C.UTF-8 > "$1"/etc/default/locale' \
    --customize-hook="printf '%s\n' '$cloud_cfg' > \"\$1\"/etc/cloud/cloud.cfg.d/90-holos.cfg" \
    --customize-hook='mkdir -p "$1"/etc/systemd/system/systemd-networkd-wait-online.service.d' \
    --customize-hook="printf '%s\n' '$wait_online_dropin' > \"\$1\"/etc/systemd/system/systemd-networkd-wait-online.service.d/any.conf" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*.log' \
    bookworm "$work/rootfs" \
    "deb $mirror bookworm main" \
    "deb $mirror bookworm-updates main" \
    "deb $security_mirror bookworm-security main"

kernel_version=$(ls "$work/rootfs/boot" | sed -n 's/^vmlinuz-//p' | sort -V | tail -n 1)
mkdir -p "$work/rootfs/boot/extlinux"
cat > "$work/rootfs/boot/extlinux/extlinux.conf" <<CONF
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  LINUX /boot/vmlinuz-$kernel_version
  INITRD /boot/initrd.img-$kernel_version
  APPEND root=LABEL=root ro console=ttyS0
CONF

# The filesystem is written straight into the partition's byte range of the disk file:
# some host kernels have no partition table parser, so no partition device is ever needed.
disk=$work/disk.raw
truncate -s "${disk_mib}M" "$disk"
printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$disk"
part_kib=$(( (disk_mib * 1024 * 1024 - part_offset) / 1024 ))
# syslinux cannot read ext4 with the 64bit feature.
mkfs.ext4 -q -F -L root -O ^64bit -E offset=$part_offset,root_owner=0:0 \
    -d "$work/rootfs" "$disk" "${part_kib}k"

mnt=$(mktemp -d)
mount -o loop,offset=$part_offset "$disk" "$mnt"
extlinux --install "$mnt/boot/extlinux" >/dev/null 2>&1
umount "$mnt"; rmdir "$mnt"; mnt=""
dd if=/usr/lib/EXTLINUX/mbr.bin of="$disk" bs=440 count=1 conv=notrunc status=none

mkdir -p "$out"
qemu-img convert -c -O qcow2 "$disk" "$out/base.qcow2.tmp"
mv "$out/base.qcow2.tmp" "$out/base.qcow2"
echo "$recipe_hash" > "$out/recipe"
echo "guest image built: $out/base.qcow2 ($(du -h "$out/base.qcow2" | cut -f1))"
