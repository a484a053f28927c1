// A device is viable for VFIO when the kernel can give its whole IOMMU group to one user:
// every other member must be bound to vfio-pci as well, bound to nothing, or be a bridge.
#include "pci_devices.hpp"

#include "error.hpp"
#include "qemu_args.hpp"

#include <algorithm>
#include <fstream>

namespace holos {
namespace {

constexpr const char* kVfioDriver = "vfio-pci";

std::uint32_t read_hex(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string text;
    in >> text;
    try {
        return static_cast<std::uint32_t>(std::stoul(text, nullptr, 16));
    } catch (const std::exception&) {
        return 0;
    }
}

std::string link_name(const std::filesystem::path& link) {
    std::error_code ec;
    std::filesystem::path target = std::filesystem::read_symlink(link, ec);
    return ec ? std::string() : target.filename().string();
}

PciDeviceInfo read_device(const std::filesystem::path& dir) {
    PciDeviceInfo device;
    device.address = dir.filename().string();
    device.vendor_id = static_cast<std::uint16_t>(read_hex(dir / "vendor"));
    device.device_id = static_cast<std::uint16_t>(read_hex(dir / "device"));
    device.class_code = read_hex(dir / "class");
    device.driver = link_name(dir / "driver");
    std::string group = link_name(dir / "iommu_group");
    if (!group.empty() && std::all_of(group.begin(), group.end(), ::isdigit)) {
        device.iommu_group = std::stoi(group);
    }
    return device;
}

bool viable_peer(const PciDeviceInfo& peer) {
    return is_bridge(peer) || peer.driver.empty() || peer.driver == kVfioDriver ||
           peer.driver == "pci-stub";
}

} // namespace

std::vector<PciDeviceInfo> read_pci_devices(const std::filesystem::path& sysfs_root) {
    std::vector<PciDeviceInfo> devices;
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(sysfs_root / "bus" / "pci" / "devices", ec)) {
        devices.push_back(read_device(entry.path()));
    }
    std::sort(devices.begin(), devices.end(),
              [](const auto& a, const auto& b) { return a.address < b.address; });
    return devices;
}

bool is_display_device(const PciDeviceInfo& device) {
    return (device.class_code >> 16) == 0x03;
}

bool is_bridge(const PciDeviceInfo& device) {
    std::uint32_t subclass = device.class_code >> 8;
    return subclass == 0x0600 || subclass == 0x0604 || subclass == 0x0609;
}

std::vector<PciDeviceInfo> blocking_group_peers(const PciDeviceInfo& device,
                                                const std::vector<PciDeviceInfo>& all) {
    std::vector<PciDeviceInfo> peers;
    for (const PciDeviceInfo& other : all) {
        if (other.address != device.address && device.iommu_group &&
            other.iommu_group == device.iommu_group && !viable_peer(other)) {
            peers.push_back(other);
        }
    }
    return peers;
}

Passthrough passthrough_state(const PciDeviceInfo& device, const std::vector<PciDeviceInfo>& all) {
    if (!device.iommu_group) {
        return Passthrough::no_iommu;
    }
    if (!blocking_group_peers(device, all).empty()) {
        return Passthrough::shared_group;
    }
    return device.driver == kVfioDriver ? Passthrough::ready : Passthrough::bind;
}

std::string vfio_bind_commands(const PciDeviceInfo& device) {
    std::string dir = "/sys/bus/pci/devices/" + device.address;
    std::string out = "modprobe vfio-pci; echo vfio-pci > " + dir + "/driver_override; ";
    if (!device.driver.empty()) {
        out += "echo " + device.address + " > " + dir + "/driver/unbind; ";
    }
    return out + "echo " + device.address + " > /sys/bus/pci/drivers_probe";
}

std::vector<std::string> passthrough_problems(const std::filesystem::path& sysfs_root,
                                              const std::vector<std::string>& addresses) {
    std::vector<PciDeviceInfo> all = read_pci_devices(sysfs_root);
    std::vector<std::string> problems;
    for (const std::string& address : addresses) {
        auto device = std::find_if(all.begin(), all.end(),
                                   [&](const PciDeviceInfo& d) { return d.address == address; });
        std::string name = "PCI device " + address;
        if (device == all.end()) {
            problems.push_back(name + " does not exist on this host; holosctl devices lists "
                                      "the ones it has");
            continue;
        }
        if (!device->iommu_group) {
            problems.push_back(name + " has no IOMMU group: turn the IOMMU on (intel_iommu=on "
                                      "or amd_iommu=on on the kernel command line) and reboot");
            continue;
        }
        if (device->driver != kVfioDriver) {
            problems.push_back(
                name + " is bound to " +
                (device->driver.empty() ? std::string("no driver") : device->driver) +
                ", not vfio-pci; bind it with: " + vfio_bind_commands(*device));
        }
        for (const PciDeviceInfo& peer : blocking_group_peers(*device, all)) {
            bool also_passed =
                std::find(addresses.begin(), addresses.end(), peer.address) != addresses.end();
            if (!also_passed) {
                problems.push_back(
                    name + " shares IOMMU group " + std::to_string(*device->iommu_group) +
                    " with " + peer.address + " (bound to " + peer.driver +
                    "), which must be bound to vfio-pci too: " + vfio_bind_commands(peer));
            }
        }
    }
    return problems;
}

void check_passthrough(const std::filesystem::path& sysfs_root, const Service& service) {
    std::vector<std::string> addresses;
    for (const PciDevice& device : service.devices) {
        addresses.push_back(device.address);
    }
    std::string message;
    for (const std::string& problem : passthrough_problems(sysfs_root, addresses)) {
        message += (message.empty() ? "" : "\n") + problem;
    }
    if (!message.empty()) {
        throw Error(message);
    }
}

std::vector<std::string> vfio_args(const Service& service) {
    std::vector<std::string> args;
    for (const PciDevice& device : service.devices) {
        std::string option = "vfio-pci,host=" + qemu_escape(device.address);
        if (!device.rom_file.empty()) {
            option += ",romfile=" + qemu_escape(device.rom_file.string());
        }
        args.insert(args.end(), {"-device", option});
    }
    return args;
}

} // namespace holos
