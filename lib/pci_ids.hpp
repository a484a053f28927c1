// Names for PCI vendors, devices and classes from the pci.ids database (Debian package
// pci.ids: /usr/share/misc/pci.ids). Optional: without it, devices show their numbers only.
#pragma once

#include "pci_devices.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace holos {

inline constexpr const char* kPciIdsFile = "/usr/share/misc/pci.ids";

class PciNames {
public:
    // Reads `file`; a missing or unreadable file gives no names.
    static PciNames load(const std::filesystem::path& file);

    // "VGA compatible controller: NVIDIA Corporation GP104 [GeForce GTX 1080]", or as much
    // of it as the database knows ("class 0300" for nothing).
    std::string describe(const PciDeviceInfo& device) const;

private:
    std::map<std::uint32_t, std::string> vendors_; // vendor
    std::map<std::uint32_t, std::string> devices_; // vendor << 16 | device
    std::map<std::uint32_t, std::string> classes_; // base << 8 | subclass, and base << 16
};

} // namespace holos
