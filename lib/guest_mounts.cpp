#include "guest_mounts.hpp"

#include "qemu_args.hpp"

#include <fmt/format.h>

namespace holos {
namespace {

// One script for every mount, given its values as arguments so none of them is ever parsed
// by the shell: $1 kind (volume or share), $2 source (device or virtiofs tag), $3 target,
// $4 target as fstab writes it, $5 filesystem type, $6 mount options, $7 "format" or "keep".
constexpr const char* kMountScript =
    "src=$2; dst=$3\n"
    "if [ \"$1\" = volume ]; then\n"
    "  udevadm settle --timeout=30 --exit-if-exists=\"$src\"\n"
    "  [ -b \"$src\" ] || { echo \"holos: no disk $src for $dst\" >&2; exit 1; }\n"
    "  if [ \"$7\" = format ] && ! blkid -p \"$src\" >/dev/null 2>&1; then\n"
    "    mkfs.ext4 -q \"$src\" || exit 1\n"
    "  fi\n"
    "fi\n"
    "mkdir -p \"$dst\"\n"
    "line=\"$src $4 $5 $6 0 0\"\n"
    "grep -qxF \"$line\" /etc/fstab || echo \"$line\" >> /etc/fstab\n"
    "mountpoint -q \"$dst\" || mount \"$dst\" ||"
    " { echo \"holos: cannot mount $src at $dst\" >&2; exit 1; }\n";

Command mount_command(const std::string& kind, const std::string& source, const VolumeMount& mount,
                      const std::string& fs_type, bool format) {
    std::string options = mount.read_only ? "ro,nofail" : "defaults,nofail";
    return {{"sh", "-c", kMountScript, "holos-mount", kind, source, mount.target,
             fstab_escape(mount.target), fs_type, options, format ? "format" : "keep"},
            ""};
}

} // namespace

std::vector<Command> mount_commands(const Service& service) {
    std::vector<Command> commands;
    size_t share = 0;
    for (const VolumeMount& mount : service.volumes) {
        if (mount.kind == VolumeMount::Kind::named) {
            // A read-only volume is never formatted: an empty one fails to mount instead.
            std::string device = "/dev/disk/by-id/virtio-" + volume_serial(mount.source);
            commands.push_back(mount_command("volume", device, mount, "ext4", !mount.read_only));
        } else {
            commands.push_back(
                mount_command("share", virtiofs_tag(share++), mount, "virtiofs", false));
        }
    }
    return commands;
}

std::string fstab_escape(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
            out += fmt::format("\\{:03o}", static_cast<unsigned char>(c));
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace holos
