#include "qemu_args.hpp"

#include "firmware.hpp"
#include "pci_devices.hpp"

#include <fmt/format.h>

namespace holos {
namespace {

std::string accelerator(const QemuInstance& in) {
    return in.service.vm.accel.empty() ? in.accel : in.service.vm.accel;
}

std::string cpu_model(const QemuInstance& in) {
    if (!in.service.vm.cpu_model.empty()) {
        return in.service.vm.cpu_model;
    }
    // "host" needs hardware virtualisation; under emulation "max" enables every feature TCG has.
    return accelerator(in) == "kvm" ? "host" : "max";
}

// TCG maps the code it translates twice, writable and executable apart, so the unit's
// MemoryDenyWriteExecute= holds under emulation too.
std::string accel_option(const QemuInstance& in) {
    std::string accel = accelerator(in);
    return accel == "tcg" ? accel + ",split-wx=on" : accel;
}

std::string user_network(const QemuInstance& in) {
    std::string netdev = "user,id=net0";
    for (const PortMapping& port : in.service.ports) {
        // An allocated port not known yet (a dry run) has no forward to show.
        if (std::optional<std::uint16_t> host = host_port(port, in.index, in.allocated)) {
            netdev += fmt::format(",hostfwd={}:{}:{}-:{}", port.protocol, port.host_ip, *host,
                                  port.guest_port);
        }
    }
    if (in.ssh_port) {
        netdev += fmt::format(",hostfwd=tcp:127.0.0.1:{}-:22", *in.ssh_port);
    }
    return netdev;
}

// The multicast socket joins its group on the loopback interface only, and QEMU leaves
// the multicast TTL at 1: frames reach the other QEMUs of this host and nothing else.
std::vector<std::string> segment_args(const SegmentNic& nic) {
    return {
        "-netdev", "socket,id=net1,mcast=" + qemu_escape(nic.segment.group) + ":" +
                       std::to_string(nic.segment.port) + ",localaddr=127.0.0.1",
        "-device", "virtio-net-pci,netdev=net1,mac=" + qemu_escape(nic.mac),
    };
}

std::vector<std::string> disk_args(const InstanceFiles& files) {
    return {
        "-drive", "file=" + qemu_escape(files.overlay.string()) +
                      ",if=none,id=root,format=qcow2,discard=unmap",
        "-device", "virtio-blk-pci,drive=root,bootindex=0",
        "-drive", "file=" + qemu_escape(files.seed.string()) +
                      ",if=none,id=seed,format=raw,readonly=on",
        "-device", "virtio-blk-pci,drive=seed",
    };
}

std::vector<std::string> console_args(const InstanceFiles& files) {
    return {
        "-chardev", "socket,id=console,path=" + qemu_escape(files.console_socket.string()) +
                        ",server=on,wait=off,logfile=" +
                        qemu_escape(files.console_log.string()) + ",logappend=on",
        "-serial", "chardev:console",
        "-qmp", "unix:" + qemu_escape(files.qmp_socket.string()) + ",server=on,wait=off",
    };
}

// Named volumes after the root disk and the seed, so their device names follow those; the
// guest finds them by serial anyway.
std::vector<std::string> volume_args(const QemuInstance& in) {
    std::vector<std::string> args;
    size_t next_image = 0;
    for (const VolumeMount& mount : in.service.volumes) {
        if (mount.kind != VolumeMount::Kind::named || next_image >= in.volume_images.size()) {
            continue;
        }
        std::string id = volume_serial(mount.source);
        const std::filesystem::path& image = in.volume_images[next_image++];
        args.insert(args.end(),
                    {"-drive", "file=" + qemu_escape(image.string()) + ",if=none,id=" + id +
                                   ",format=qcow2,discard=unmap" +
                                   (mount.read_only ? ",readonly=on" : ""),
                     "-device", "virtio-blk-pci,drive=" + id + ",serial=" + id});
    }
    return args;
}

// vhost-user devices need the guest's memory shared with virtiofsd, hence a memfd backend.
std::vector<std::string> share_args(const QemuInstance& in) {
    std::vector<std::string> args;
    for (size_t mount = 0; mount < in.share_sockets.size(); ++mount) {
        std::string id = "virtiofs" + std::to_string(mount);
        args.insert(args.end(),
                    {"-chardev",
                     "socket,id=" + id + ",path=" + qemu_escape(in.share_sockets[mount].string()),
                     "-device", "vhost-user-fs-pci,chardev=" + id + ",tag=" + virtiofs_tag(mount)});
    }
    return args;
}

std::string machine(const QemuInstance& in) {
    return in.share_sockets.empty() ? in.service.vm.machine
                                    : in.service.vm.machine + ",memory-backend=mem";
}

std::vector<std::string> memory_args(const QemuInstance& in) {
    std::string mib = std::to_string(in.service.vm.memory_mib);
    if (in.share_sockets.empty()) {
        return {"-m", mib};
    }
    return {"-m", mib, "-object", "memory-backend-memfd,id=mem,size=" + mib + "M,share=on"};
}

void append(std::vector<std::string>& to, const std::vector<std::string>& args) {
    to.insert(to.end(), args.begin(), args.end());
}

} // namespace

std::string qemu_escape(std::string_view value) {
    std::string out;
    for (char c : value) {
        out += c;
        if (c == ',') {
            out += ',';
        }
    }
    return out;
}

std::string volume_serial(const std::string& volume) {
    return "vol-" + volume;
}

std::string virtiofs_tag(size_t mount) {
    return "share" + std::to_string(mount);
}

std::uint64_t stable_hash(std::string_view data) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (char c : data) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::string instance_mac(const std::string& project, const std::string& instance) {
    std::uint64_t hash = stable_hash(project + "/" + instance);
    return fmt::format("52:54:00:{:02x}:{:02x}:{:02x}", (hash >> 16) & 0xff, (hash >> 8) & 0xff,
                       hash & 0xff);
}

std::vector<std::string> qemu_argv(const QemuInstance& in) {
    std::string instance = instance_name(in.service, in.index);
    std::vector<std::string> argv = {
        in.binary,
        "-name", "guest=" + in.project.name + "-" + instance + ",debug-threads=on",
        "-nodefaults", "-no-user-config", "-display", "none",
        "-machine", machine(in),
        "-accel", accel_option(in),
        "-cpu", cpu_model(in),
        "-smp", std::to_string(in.service.vm.vcpu),
    };
    append(argv, memory_args(in));
    append(argv, firmware_args(in.service, in.files, configured_firmware()));
    append(argv, disk_args(in.files));
    append(argv, volume_args(in));
    append(argv, {"-netdev", user_network(in), "-device",
                  "virtio-net-pci,netdev=net0,mac=" + instance_mac(in.project.name, instance)});
    if (in.segment) {
        append(argv, segment_args(*in.segment));
    }
    append(argv, {"-device", "virtio-rng-pci"});
    append(argv, vfio_args(in.service));
    append(argv, console_args(in.files));
    append(argv, share_args(in));
    // QEMU's own seccomp filter, inside the unit's: no obsolete calls, no privilege changes,
    // no new programs, no scheduler or resource changes.
    append(argv, {"-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
                              "resourcecontrol=deny"});
    // Last, so the user's arguments can add devices or override earlier settings.
    append(argv, in.service.vm.extra_args);
    return argv;
}

} // namespace holos
