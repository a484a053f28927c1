// The host's PCI devices as sysfs describes them (/sys/bus/pci/devices/*: vendor, device,
// class, the bound driver and the IOMMU group), and what that means for passing one to a VM
// with VFIO. The sysfs root is a parameter, so tests build a fake tree.
#pragma once

#include "project.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace holos {

struct PciDeviceInfo {
    std::string address; // "0000:01:00.0"
    std::uint16_t vendor_id = 0;
    std::uint16_t device_id = 0;
    std::uint32_t class_code = 0;   // 0x030000: base class, subclass, programming interface
    std::string driver;             // empty: none bound
    std::optional<int> iommu_group; // unset: the IOMMU is off
};

// Every device under ROOT/bus/pci/devices, by address. An unreadable tree gives none.
std::vector<PciDeviceInfo> read_pci_devices(const std::filesystem::path& sysfs_root);

bool is_display_device(const PciDeviceInfo& device);

// Host and PCI-to-PCI bridges may share a group with a passed-through device; the kernel
// never hands them to a guest.
bool is_bridge(const PciDeviceInfo& device);

// What passing `device` through needs, given every device of the host.
enum class Passthrough {
    ready,        // bound to vfio-pci, and its group can go to the VM as it is
    bind,         // bound to another driver (or none): bind it to vfio-pci first
    shared_group, // its IOMMU group holds other devices still bound to host drivers
    no_iommu,     // no IOMMU group: the IOMMU is off
};

Passthrough passthrough_state(const PciDeviceInfo& device, const std::vector<PciDeviceInfo>& all);

// The other devices of `device`'s IOMMU group that keep it from going to a VM alone: not
// bridges, and bound to a driver other than vfio-pci.
std::vector<PciDeviceInfo> blocking_group_peers(const PciDeviceInfo& device,
                                                const std::vector<PciDeviceInfo>& all);

// The shell commands that bind `address` to vfio-pci, separated by "; ".
std::string vfio_bind_commands(const PciDeviceInfo& device);

// Checks the devices a service passes through, as holos-instance prepare does before QEMU
// starts. Returns one message per problem, each with the fix.
std::vector<std::string> passthrough_problems(const std::filesystem::path& sysfs_root,
                                              const std::vector<std::string>& addresses);

// Throws Error with every problem of passthrough_problems, one per line.
void check_passthrough(const std::filesystem::path& sysfs_root, const Service& service);

// "-device vfio-pci,host=...[,romfile=...]" for each device of the service.
std::vector<std::string> vfio_args(const Service& service);

} // namespace holos
