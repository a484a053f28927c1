// machine and cpu_model end up in QEMU's argv, so they are held to the characters QEMU's own
// names use; extra_args are the escape hatch and go through as written, with a warning.
#include "parse_vm.hpp"

#include "vm_limits.hpp"

#include <algorithm>

namespace holos::parsing {
namespace {

constexpr std::uint64_t kMiB = 1ULL << 20;

bool is_lower_or_digit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_alnum(char c) {
    return is_lower_or_digit(c) || (c >= 'A' && c <= 'Z');
}

// ^[a-z0-9][a-z0-9._-]*$
bool is_machine_type(std::string_view text) {
    auto allowed = [](char c) { return is_lower_or_digit(c) || c == '.' || c == '_' || c == '-'; };
    return !text.empty() && is_lower_or_digit(text[0]) &&
           std::all_of(text.begin(), text.end(), allowed);
}

// ^[A-Za-z0-9][A-Za-z0-9_.,+=-]*$
bool is_cpu_model(std::string_view text) {
    auto allowed = [](char c) {
        return is_alnum(c) || std::string_view("_.,+=-").find(c) != std::string_view::npos;
    };
    return !text.empty() && is_alnum(text[0]) && std::all_of(text.begin(), text.end(), allowed);
}

void read_vcpu(Parser& parser, const Node& node, const Place& at, VmSpec& vm) {
    if (std::optional<long long> vcpu = read_integer(parser, node, at, 1, kMaxVcpu)) {
        vm.vcpu = static_cast<int>(*vcpu);
    }
}

void read_memory_mb(Parser& parser, const Node& node, const Place& at, VmSpec& vm) {
    std::optional<long long> memory = read_integer(parser, node, at, kMinMemoryMiB, kMaxMemoryMiB);
    if (memory) {
        vm.memory_mib = static_cast<int>(*memory);
    }
}

void read_memory(Parser& parser, const Node& node, const Place& at, VmSpec& vm) {
    std::string written;
    std::optional<std::uint64_t> bytes = read_size(parser, node, at, &written);
    if (!bytes) {
        return;
    }
    static_assert(kMaxMemoryMiB == 1024 * 1024, "the message below names the maximum as 1T");
    std::uint64_t mib = *bytes / kMiB;
    if (mib < kMinMemoryMiB || mib > kMaxMemoryMiB || (mib == kMaxMemoryMiB && *bytes % kMiB)) {
        error(parser, at,
              "expected between \"" + std::to_string(kMinMemoryMiB) +
                  "M\" and \"1T\" (a number without a unit counts bytes), got " + quote(written));
    } else if (*bytes % kMiB != 0) {
        error(parser, at, "expected a whole number of MiB, got " + quote(written));
    } else {
        vm.memory_mib = static_cast<int>(mib);
    }
}

void read_disk_size(Parser& parser, const Node& node, const Place& at, VmSpec& vm) {
    if (std::optional<std::uint64_t> bytes = read_size(parser, node, at)) {
        vm.disk_size_bytes = *bytes;
    }
}

void read_machine(Parser& parser, const Node& node, const Place& at, VmSpec& vm) {
    std::optional<std::string> machine = read_nonempty_string(parser, node, at);
    if (machine && !is_machine_type(*machine)) {
        error(parser, at,
              "expected a machine type like \"q35\" or \"pc-q35-8.2\" (lowercase letters, digits, "
              "\".\", \"_\" and \"-\"), got " +
                  quote(*machine));
    } else if (machine) {
        vm.machine = std::move(*machine);
    }
}

void read_cpu_model(Parser& parser, const Node& node, const Place& at, VmSpec& vm) {
    std::optional<std::string> model = read_nonempty_string(parser, node, at);
    if (model && !is_cpu_model(*model)) {
        error(parser, at,
              "expected a CPU model like \"host\" or \"Skylake-Server,-hle\" (letters, digits "
              "and \"_.,+=-\"), got " +
                  quote(*model));
    } else if (model) {
        vm.cpu_model = std::move(*model);
    }
}

void read_uefi(Parser& parser, const Node& node, const Place& at, VmSpec& vm) {
    if (std::optional<bool> uefi = read_bool(parser, node, at)) {
        vm.uefi = *uefi;
        if (!*uefi) {
            parser.notes.back().uefi_false = at;
        }
    }
}

void read_accel(Parser& parser, const Node& node, const Place& at, VmSpec& vm) {
    if (std::optional<std::string> accel = read_choice(parser, node, at, {"kvm", "tcg"})) {
        vm.accel = std::move(*accel);
    }
}

void read_extra_args(Parser& parser, const Node& node, const Place& at, VmSpec& vm) {
    read_string_list(parser, node, at, vm.extra_args);
    if (!vm.extra_args.empty()) {
        warning(parser, at,
                "passed to QEMU unchecked: holos cannot tell whether they clash with the "
                "options it sets");
    }
}

constexpr Field<VmSpec> kVmFields[] = {
    {"vcpu", read_vcpu},           {"memory_mb", read_memory_mb}, {"memory", read_memory},
    {"disk_size", read_disk_size}, {"machine", read_machine},     {"cpu_model", read_cpu_model},
    {"uefi", read_uefi},           {"accel", read_accel},         {"extra_args", read_extra_args},
};

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    return text;
}

// ^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$, by shape.
bool is_pci_address(std::string_view text) {
    constexpr std::string_view kShape = "hhhh:hh:hh.o";
    if (text.size() != kShape.size()) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        bool ok = kShape[i] == 'h'   ? hex
                  : kShape[i] == 'o' ? (c >= '0' && c <= '7')
                                     : c == kShape[i];
        if (!ok) {
            return false;
        }
    }
    return true;
}

void read_pci(Parser& parser, const Node& node, const Place& at, PciDevice& device) {
    std::optional<std::string> text = read_nonempty_string(parser, node, at);
    if (!text) {
        return;
    }
    std::string address = lowercase(*text);
    if (std::count(address.begin(), address.end(), ':') == 1) {
        address = "0000:" + address; // the short form lspci prints
    }
    if (!is_pci_address(address)) {
        error(parser, at,
              "expected a PCI address like \"0000:01:00.0\" or \"01:00.0\", got " + quote(*text));
        return;
    }
    device.address = std::move(address);
}

void read_rom_file(Parser& parser, const Node& node, const Place& at, PciDevice& device) {
    if (std::optional<std::filesystem::path> rom = read_existing_file(parser, node, at)) {
        device.rom_file = std::move(*rom);
    }
}

constexpr Field<PciDevice> kDeviceFields[] = {
    {"pci", read_pci, Required::yes},
    {"rom_file", read_rom_file},
};

} // namespace

void read_vm(Parser& parser, const Node& node, const Place& at, Service& service) {
    std::vector<std::string_view> present = read_fields(parser, node, at, kVmFields, service.vm);
    if (contains(present, "memory") && contains(present, "memory_mb")) {
        error(parser, at, "set either \"memory\" or \"memory_mb\", not both");
    }
}

void read_devices(Parser& parser, const Node& node, const Place& at, Service& service) {
    for_each_item(parser, node, at, [&](const Node& item, const Place& item_at) {
        PciDevice device;
        read_fields(parser, item, item_at, kDeviceFields, device);
        service.devices.push_back(std::move(device));
        parser.notes.back().device_places.push_back(item_at);
    });
}

std::vector<std::string> vm_keys() {
    return keys_of(kVmFields);
}

std::vector<std::string> device_keys() {
    return keys_of(kDeviceFields);
}

} // namespace holos::parsing
