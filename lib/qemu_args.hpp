// The QEMU command line of one instance, derived from the model alone (no I/O), so the
// generator can write it into the unit where `systemctl cat` shows it.
#pragma once

#include "instance_ports.hpp"
#include "paths.hpp"
#include "project.hpp"
#include "project_network.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos {

// The instance's NIC on the project network.
struct SegmentNic {
    Segment segment;
    std::string mac;
};

struct QemuInstance {
    const Project& project;
    const Service& service;
    int index = 0;
    InstanceFiles files;
    std::optional<std::uint16_t> ssh_port; // unset: no SSH forward (e.g. a dry run)
    std::string accel;                     // the host's "kvm" or "tcg"; vm.accel overrides it
    std::string binary;                    // absolute path of qemu-system-x86_64
    AllocatedPorts allocated;              // host ports chosen for "GUEST"-only mappings
    std::optional<SegmentNic> segment = std::nullopt; // unset: the uplink NIC only
    std::vector<std::filesystem::path> volume_images; // one per named volume mount, in order
    std::vector<std::filesystem::path> share_sockets; // virtiofsd sockets, one per bind mount
};

// The serial of a named volume's disk: the guest finds it as /dev/disk/by-id/virtio-SERIAL.
// virtio-blk keeps 20 bytes of it, which is why volume names have at most 16 characters.
std::string volume_serial(const std::string& volume);

// The virtiofs tag of bind mount number `mount`, which the guest mounts.
std::string virtiofs_tag(size_t mount);

// Escapes a value for QEMU's "key=value,key=value" option syntax, where "," must be doubled.
std::string qemu_escape(std::string_view value);

// A locally administered, stable MAC address for an instance (52:54:00 is QEMU's prefix).
std::string instance_mac(const std::string& project, const std::string& instance);

std::vector<std::string> qemu_argv(const QemuInstance& instance);

// 64-bit FNV-1a: a stable hash for derived names and ids (not for security).
std::uint64_t stable_hash(std::string_view data);

} // namespace holos
