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
        "-machine", in.service.vm.machine,
        "-accel", accelerator(in),
        "-cpu", cpu_model(in),
        "-smp", std::to_string(in.service.vm.vcpu),
        "-m", std::to_string(in.service.vm.memory_mib),
    };
    append(argv, firmware_args(in.service, in.files, configured_firmware()));
    append(argv, disk_args(in.files));
    append(argv, {"-netdev", user_network(in), "-device",
                  "virtio-net-pci,netdev=net0,mac=" + instance_mac(in.project.name, instance)});
    append(argv, {"-device", "virtio-rng-pci"});
    append(argv, vfio_args(in.service));
    append(argv, console_args(in.files));
    // Last, so the user's arguments can add devices or override earlier settings.
    append(argv, in.service.vm.extra_args);
    return argv;
}

} // namespace holos
