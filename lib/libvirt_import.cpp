// The mapping follows libvirt's domain format reference. Versioned machine types
// ("pc-q35-7.2", "pc-i440fx-5.2") become their unversioned aliases ("q35", "pc"): a versioned
// type is pinned to the QEMU release that created the domain, and the host holos runs on may
// not offer it; the alias is the newest revision of the same chipset. Devices that every
// holos VM has anyway (controllers, input, serial console, balloon, RNG) pass silently.
#include "libvirt_import.hpp"

#include "vm_limits.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace holos {
namespace {

struct UnitScale {
    std::string_view unit;
    std::uint64_t bytes;
};

constexpr std::uint64_t kKi = 1024;
constexpr UnitScale kUnits[] = {
    {"b", 1},
    {"bytes", 1},
    {"KB", 1000},
    {"k", kKi},
    {"KiB", kKi},
    {"MB", 1000 * 1000},
    {"M", kKi* kKi},
    {"MiB", kKi* kKi},
    {"GB", 1000ULL * 1000 * 1000},
    {"G", kKi* kKi* kKi},
    {"GiB", kKi* kKi* kKi},
    {"TB", 1000ULL * 1000 * 1000 * 1000},
    {"T", kKi* kKi* kKi* kKi},
    {"TiB", kKi* kKi* kKi* kKi},
    {"PB", 1000ULL * 1000 * 1000 * 1000 * 1000},
    {"P", kKi* kKi* kKi* kKi* kKi},
    {"PiB", kKi* kKi* kKi* kKi* kKi},
};

// Elements under <devices> that have no holos equivalent worth a warning.
const std::set<std::string_view> kSilentDevices = {
    "emulator", "controller", "input", "serial", "console", "channel", "memballoon", "rng",
};

// Elements under <domain> that tune the host side in ways holos does not.
const std::set<std::string_view> kTuningElements = {
    "memoryBacking", "cputune", "numatune", "blkiotune", "iothreads", "sysinfo", "launchSecurity",
};

std::string service_name_of(std::string_view domain) {
    std::string name;
    for (char c : domain) {
        char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
        bool ok = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
        if (ok) {
            name += lower;
        } else if (!name.empty() && name.back() != '-') {
            name += '-';
        }
    }
    name = name.substr(0, 63);
    while (!name.empty() && name.back() == '-') {
        name.pop_back();
    }
    return name.empty() ? "vm" : name;
}

std::string machine_of(const pugi::xml_node& os, std::vector<std::string>& warnings) {
    std::string machine = os.child("type").attribute("machine").as_string();
    if (machine.empty()) {
        return "pc"; // libvirt's own default for x86
    }
    for (auto [prefix, alias] : {std::pair{"pc-q35-", "q35"}, std::pair{"pc-i440fx-", "pc"}}) {
        if (machine.starts_with(prefix)) {
            warnings.push_back("machine type " + machine + " becomes " + alias +
                               ", the newest revision of that chipset on this host");
            return alias;
        }
    }
    return machine;
}

std::string cpu_model_of(const pugi::xml_node& cpu, std::vector<std::string>& warnings) {
    std::string mode = cpu.attribute("mode").as_string();
    if (mode == "host-passthrough") {
        return "host";
    }
    if (mode == "host-model") {
        warnings.push_back("cpu mode host-model becomes cpu_model host (the host's CPU as is)");
        return "host";
    }
    if (mode == "maximum") {
        return "max";
    }
    std::string model = cpu.child_value("model");
    if (cpu.child("topology") || cpu.child("numa")) {
        warnings.push_back("the CPU topology and NUMA layout are not imported; the VM gets " +
                           std::string("plain vCPUs"));
    }
    return model;
}

int vcpu_of(const pugi::xml_node& domain, std::vector<std::string>& warnings) {
    pugi::xml_node vcpu = domain.child("vcpu");
    int maximum = std::atoi(vcpu.child_value());
    int count = vcpu.attribute("current") ? vcpu.attribute("current").as_int() : maximum;
    if (count < maximum) {
        warnings.push_back(
            fmt::format("{} vCPUs are imported; hot-plugging up to {} is not", count, maximum));
    }
    int allowed = std::clamp(count, 1, static_cast<int>(kMaxVcpu));
    if (allowed != count) {
        warnings.push_back(fmt::format("{} vCPUs become {}: holos VMs have 1 to {}", count,
                                       allowed, kMaxVcpu));
    }
    return allowed;
}

bool memory_of(const pugi::xml_node& domain, ImportedService& out, DomainImport& result) {
    pugi::xml_node memory = domain.child("memory");
    std::string unit = memory.attribute("unit") ? memory.attribute("unit").as_string() : "KiB";
    std::optional<std::uint64_t> bytes = libvirt_bytes(memory.child_value(), unit);
    if (!bytes || *bytes == 0) {
        result.error = "memory \"" + std::string(memory.child_value()) + "\" in unit \"" + unit +
                       "\" is not a size libvirt allows";
        return false;
    }
    constexpr std::uint64_t kMiB = 1ULL << 20;
    out.memory_mib = (*bytes + kMiB - 1) / kMiB;
    if (out.memory_mib > static_cast<std::uint64_t>(kMaxMemoryMiB)) {
        result.error = fmt::format("memory of {} MiB is more than holos VMs may have ({} MiB)",
                                   out.memory_mib, kMaxMemoryMiB);
        return false;
    }
    if (out.memory_mib < static_cast<std::uint64_t>(kMinMemoryMiB)) {
        result.warnings.push_back(fmt::format("memory of {} bytes becomes {} MiB, the least a "
                                              "holos VM has",
                                              *bytes, kMinMemoryMiB));
        out.memory_mib = kMinMemoryMiB;
    } else if (*bytes % kMiB != 0) {
        result.warnings.push_back(
            fmt::format("memory of {} bytes is rounded up to {} MiB", *bytes, out.memory_mib));
    }
    return true;
}

bool firmware_of(const pugi::xml_node& os, std::vector<std::string>& warnings) {
    pugi::xml_node loader = os.child("loader");
    std::string path = loader.child_value();
    std::string lower;
    std::transform(path.begin(), path.end(), std::back_inserter(lower),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    bool uefi = std::string_view(os.attribute("firmware").as_string()) == "efi" ||
                std::string_view(loader.attribute("type").as_string()) == "pflash" ||
                lower.find("ovmf") != std::string::npos || lower.find("edk2") != std::string::npos;
    if (uefi && std::string_view(loader.attribute("secure").as_string()) == "yes") {
        warnings.push_back("secure boot is not imported; the VM boots OVMF without it");
    }
    if (uefi && os.child("nvram")) {
        warnings.push_back("the UEFI variables in " + std::string(os.child_value("nvram")) +
                           " are not imported; the instance starts with fresh ones");
    }
    if (os.child("kernel")) {
        warnings.push_back("direct kernel boot (" + std::string(os.child_value("kernel")) +
                           ") is not imported; the VM boots from its disk");
    }
    return uefi;
}

std::string disk_name(const pugi::xml_node& disk) {
    std::string target = disk.child("target").attribute("dev").as_string();
    return target.empty() ? "disk" : target;
}

std::string disk_source(const pugi::xml_node& disk) {
    pugi::xml_node source = disk.child("source");
    for (const char* attribute : {"file", "dev", "name", "dir"}) {
        if (source.attribute(attribute)) {
            return source.attribute(attribute).as_string();
        }
    }
    std::string pool = source.attribute("pool").as_string();
    return pool.empty() ? "no source"
                        : "pool " + pool + " volume " + source.attribute("volume").as_string();
}

// The first disk is the image; every other disk, CD-ROM or floppy is a warning.
bool disks_of(const pugi::xml_node& devices, ImportedService& out, DomainImport& result) {
    bool have_image = false;
    for (pugi::xml_node disk : devices.children("disk")) {
        std::string device =
            disk.attribute("device") ? disk.attribute("device").as_string() : "disk";
        std::string type = disk.attribute("type").as_string();
        std::string format = disk.child("driver").attribute("type").as_string();
        if (device == "disk" && !have_image) {
            if (type != "file" || !disk.child("source").attribute("file")) {
                result.error = "its first disk " + disk_name(disk) + " (" + type + ", " +
                               disk_source(disk) +
                               ") is not a file: holos boots image files; copy it to one with "
                               "qemu-img convert and set \"image\"";
                return false;
            }
            have_image = true;
            out.image = disk.child("source").attribute("file").as_string();
            out.image_format = format.empty() ? "raw" : format;
            if (out.image_format != "qcow2" && out.image_format != "raw") {
                result.error = "its first disk " + out.image + " is in format " + format +
                               ": convert it to qcow2 with qemu-img convert";
                return false;
            }
            continue;
        }
        result.warnings.push_back(
            fmt::format("{} {} ({}{}) is not imported: holos boots one disk per VM", device,
                        disk_name(disk), disk_source(disk), format.empty() ? "" : ", " + format));
    }
    if (!have_image) {
        result.error = "it has no disk to boot from";
    }
    return have_image;
}

std::string pci_address(const pugi::xml_node& address) {
    auto number = [&](const char* name) {
        return std::strtoul(address.attribute(name).as_string("0"), nullptr, 0);
    };
    return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", number("domain"), number("bus"), number("slot"),
                       number("function"));
}

void hostdev_of(const pugi::xml_node& hostdev, ImportedService& out, DomainImport& result) {
    std::string type = hostdev.attribute("type").as_string();
    std::string mode = hostdev.attribute("mode").as_string("subsystem");
    if (type != "pci" || mode != "subsystem") {
        result.warnings.push_back("host device of type " + type + " is not imported: holos " +
                                  "passes PCI devices only");
        return;
    }
    PciDevice device;
    device.address = pci_address(hostdev.child("source").child("address"));
    device.rom_file = hostdev.child("rom").attribute("file").as_string();
    out.devices.push_back(std::move(device));
}

std::string interface_warning(const pugi::xml_node& nic) {
    std::string type = nic.attribute("type").as_string();
    pugi::xml_node source = nic.child("source");
    if (type == "bridge") {
        return "interface bridged to " + std::string(source.attribute("bridge").as_string()) +
               " is not imported: each instance has a user-mode NIC; forward ports with "
               "\"ports\"";
    }
    if (type == "network") {
        return "interface on network " + std::string(source.attribute("network").as_string()) +
               " is not imported: each instance has a user-mode NIC; forward ports with "
               "\"ports\"";
    }
    return "interface of type " + type + " is not imported: each instance has a user-mode NIC";
}

std::string device_warning(const pugi::xml_node& node) {
    std::string name = node.name();
    std::string type = node.attribute("type").as_string();
    if (name == "interface") {
        return interface_warning(node);
    }
    if (name == "filesystem") {
        return "filesystem " + std::string(node.child("source").attribute("dir").as_string()) +
               " (tag " + node.child("target").attribute("dir").as_string() +
               ") is not imported: share host directories with \"volumes\"";
    }
    if (name == "graphics") {
        return "graphics (" + type +
               ") are not imported: holos VMs are headless; use "
               "holosctl console";
    }
    if (name == "video") {
        return "video (" + std::string(node.child("model").attribute("type").as_string()) +
               ") is not imported: holos VMs are headless";
    }
    std::string detail = type.empty() ? std::string(node.attribute("model").as_string()) : type;
    return name + (detail.empty() ? "" : " (" + detail + ")") + " is not imported";
}

void devices_of(const pugi::xml_node& devices, ImportedService& out, DomainImport& result) {
    for (pugi::xml_node node : devices.children()) {
        std::string_view name = node.name();
        if (name == "disk" || kSilentDevices.contains(name) || node.type() != pugi::node_element) {
            continue;
        }
        if (name == "hostdev") {
            hostdev_of(node, out, result);
        } else {
            result.warnings.push_back(device_warning(node));
        }
    }
}

void emit_service(YAML::Emitter& yaml, const ImportedService& s) {
    yaml << YAML::Key << s.name << YAML::Value << YAML::BeginMap;
    yaml << YAML::Key << "image" << YAML::Value << YAML::DoubleQuoted << s.image;
    yaml << YAML::Key << "image_format" << YAML::Value << s.image_format;
    yaml << YAML::Key << "vm" << YAML::Value << YAML::BeginMap;
    yaml << YAML::Key << "vcpu" << YAML::Value << s.vcpu;
    yaml << YAML::Key << "memory_mb" << YAML::Value << s.memory_mib;
    yaml << YAML::Key << "machine" << YAML::Value << YAML::DoubleQuoted << s.machine;
    if (!s.cpu_model.empty()) {
        yaml << YAML::Key << "cpu_model" << YAML::Value << YAML::DoubleQuoted << s.cpu_model;
    }
    if (s.uefi) {
        yaml << YAML::Key << "uefi" << YAML::Value << true;
    }
    yaml << YAML::EndMap;
    if (!s.devices.empty()) {
        yaml << YAML::Key << "devices" << YAML::Value << YAML::BeginSeq;
        for (const PciDevice& device : s.devices) {
            yaml << YAML::BeginMap << YAML::Key << "pci" << YAML::Value << YAML::DoubleQuoted
                 << device.address;
            if (!device.rom_file.empty()) {
                yaml << YAML::Key << "rom_file" << YAML::Value << YAML::DoubleQuoted
                     << device.rom_file.string();
            }
            yaml << YAML::EndMap;
        }
        yaml << YAML::EndSeq;
    }
    yaml << YAML::EndMap;
}

} // namespace

std::optional<std::uint64_t> libvirt_bytes(std::string_view value, std::string_view unit) {
    auto scale = std::find_if(std::begin(kUnits), std::end(kUnits),
                              [&](const UnitScale& u) { return u.unit == unit; });
    if (scale == std::end(kUnits) || value.empty() ||
        value.find_first_not_of("0123456789") != std::string_view::npos || value.size() > 19) {
        return std::nullopt;
    }
    std::uint64_t number = std::stoull(std::string(value));
    if (number > UINT64_MAX / scale->bytes) {
        return std::nullopt;
    }
    return number * scale->bytes;
}

DomainImport import_domain(std::string_view xml) {
    DomainImport result;
    pugi::xml_document document;
    pugi::xml_parse_result parsed = document.load_buffer(xml.data(), xml.size());
    pugi::xml_node domain = document.child("domain");
    if (!parsed || !domain) {
        result.error = parsed ? "not a libvirt domain (no <domain> element)"
                              : std::string("not valid XML: ") + parsed.description();
        return result;
    }
    ImportedService service;
    service.domain = domain.child_value("name");
    service.name = service_name_of(service.domain);
    service.vcpu = vcpu_of(domain, result.warnings);
    pugi::xml_node os = domain.child("os");
    service.machine = machine_of(os, result.warnings);
    service.cpu_model = cpu_model_of(domain.child("cpu"), result.warnings);
    service.uefi = firmware_of(os, result.warnings);
    for (pugi::xml_node node : domain.children()) {
        if (kTuningElements.contains(node.name())) {
            result.warnings.push_back(std::string(node.name()) + " is not imported");
        }
    }
    if (!memory_of(domain, service, result) ||
        !disks_of(domain.child("devices"), service, result)) {
        return result;
    }
    devices_of(domain.child("devices"), service, result);
    result.service = std::move(service);
    return result;
}

std::string imported_compose_text(std::vector<ImportedService> services) {
    std::set<std::string> taken;
    std::string domains;
    for (ImportedService& service : services) {
        std::string base = service.name;
        for (int n = 2; taken.contains(service.name); ++n) {
            service.name = base.substr(0, 60) + "-" + std::to_string(n);
        }
        taken.insert(service.name);
        domains += (domains.empty() ? "" : ", ") + service.name;
    }
    YAML::Emitter yaml;
    yaml << YAML::BeginMap;
    yaml << YAML::Key << "name" << YAML::Value
         << (services.size() == 1 ? services.front().name : std::string("libvirt"));
    yaml << YAML::Key << "services" << YAML::Value << YAML::BeginMap;
    for (const ImportedService& service : services) {
        emit_service(yaml, service);
    }
    yaml << YAML::EndMap << YAML::EndMap;
    return "# Imported from libvirt by holosctl import: " + domains + "\n" + yaml.c_str() + "\n";
}

} // namespace holos
