#include "unit_sandbox.hpp"

#include "qemu_args.hpp"
#include "unit_graph_storage.hpp"

#include <fmt/format.h>

namespace holos {
namespace {

enum class Managers { both, system_only };

struct Setting {
    const char* key;
    const char* value;
    Managers managers = Managers::both;
};

// Settings that hold for every instance. What QEMU still needs, and so stays allowed:
// internet sockets for user-mode networking and forwards, unix sockets for QMP and the
// console, the host's network (no PrivateNetwork=), and the seccomp() call for QEMU's own
// -sandbox. Denied system calls fail with EPERM rather than killing the VM.
constexpr Setting kSettings[] = {
    {"NoNewPrivileges", "yes"},
    // Under a user manager this empties the bounding set inside PrivateUsers='s namespace.
    {"CapabilityBoundingSet", ""},
    {"PrivateUsers", "yes"},
    {"KeyringMode", "private"},
    {"ProtectSystem", "strict"},
    // Images and bind sources may live in home directories; read-only is all QEMU needs.
    {"ProtectHome", "read-only"},
    {"PrivateTmp", "yes"},
    {"PrivateIPC", "yes", Managers::system_only},
    {"PrivateMounts", "yes"},
    {"ProtectKernelTunables", "yes"},
    {"ProtectKernelModules", "yes"},
    {"ProtectKernelLogs", "yes"},
    {"ProtectControlGroups", "yes", Managers::system_only},
    {"ProtectClock", "yes"},
    {"ProtectHostname", "yes"},
    {"ProtectProc", "invisible", Managers::system_only},
    {"ProcSubset", "pid", Managers::system_only},
    {"RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6"},
    {"RestrictNamespaces", "yes"},
    {"RestrictRealtime", "yes"},
    {"RestrictSUIDSGID", "yes"},
    {"LockPersonality", "yes"},
    // TCG's translated code is mapped twice (QEMU's split-wx), never writable and executable.
    {"MemoryDenyWriteExecute", "yes"},
    {"SystemCallArchitectures", "native"},
    {"SystemCallFilter", "@system-service seccomp"},
    {"SystemCallFilter", "~@privileged @resources @keyring @memlock"},
    {"SystemCallErrorNumber", "EPERM"},
    {"UMask", "0077"},
};

bool applies(const Setting& setting, Scope scope) {
    return setting.managers == Managers::both || scope == Scope::system;
}

// VFIO device nodes belong to root and the device's DMA pins the guest's memory, so a VM
// with PCI passthrough keeps QEMU as the manager's user and may lock memory.
bool passes_devices_through(const SandboxInput& input) {
    return !input.service.devices.empty();
}

// Under KVM the device list holds /dev/kvm alone, opened through the kvm group that owns it;
// under TCG no device node is needed, so the instance gets a private /dev. A user manager
// cannot install a device policy; there the user's own groups decide.
void add_devices(UnitFileBuilder& unit, const SandboxInput& input) {
    if (input.accel != "kvm" && !passes_devices_through(input)) {
        unit.set("PrivateDevices", "yes");
        return;
    }
    if (input.paths.scope == Scope::system) {
        unit.set("DevicePolicy", "closed")
            .set("DeviceAllow", "/dev/kvm rw")
            .set("SupplementaryGroups", "kvm");
        if (passes_devices_through(input)) {
            unit.set("DeviceAllow", "char-vfio rw");
        }
    }
}

// The instance's own directory is the only place it writes, besides its runtime directory.
// "-": the directory is missing until the first prepare, and systemd sets this path up for
// every command, the privileged prepare included.
void add_identity(UnitFileBuilder& unit, const SandboxInput& input) {
    if (input.paths.scope == Scope::system && !passes_devices_through(input)) {
        unit.set("DynamicUser", "yes").set("User", instance_user(input.project, input.service));
    }
    std::filesystem::path prefix =
        input.paths.instances_state(input.project.name) / (input.service.name + "-");
    unit.set("ReadWritePaths", "-" + quote_path_arg(prefix.string()) + "%i");
    // A named volume the instance writes is a file of its own outside that directory.
    for (const VolumeMount* mount : named_mounts(input.service)) {
        if (!mount->read_only) {
            std::filesystem::path image =
                input.paths.volume_image(input.project.name, mount->source);
            unit.set("ReadWritePaths", "-" + quote_path_arg(image.string()));
        }
    }
}

} // namespace

std::string instance_user(const Project& project, const Service& service) {
    constexpr std::size_t kMaxUserName = 31;
    std::string last_index = std::to_string(service.replicas - 1);
    std::string name = "holos-" + project.name + "-" + service.name;
    if (name.size() + 1 + last_index.size() > kMaxUserName) {
        name = fmt::format("holos-{:08x}",
                           stable_hash(project.name + "/" + service.name) & 0xffffffffU);
    }
    return name + "-%i";
}

void add_instance_sandbox(UnitFileBuilder& unit, const SandboxInput& input) {
    add_identity(unit, input);
    for (const Setting& setting : kSettings) {
        if (!applies(setting, input.paths.scope)) {
            continue;
        }
        std::string value = setting.value;
        if (passes_devices_through(input) && value.ends_with(" @memlock")) {
            value.erase(value.size() - std::string_view(" @memlock").size());
        }
        unit.set(setting.key, value);
    }
    add_devices(unit, input);
}

} // namespace holos
