// holosctl devices: the host's PCI devices, for choosing what to pass to a VM (`devices:` in
// holos.yaml). Each shows its driver, its IOMMU group and whether it can be passed through
// now; groups that cannot be split are explained below the table.

#include "verbs.hpp"

#include "pci_devices.hpp"
#include "pci_ids.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <set>

namespace holos::ctl {
namespace {

struct DevicesOptions {
    bool gpu = false;
    std::string sysfs_root = "/sys";
    std::string pci_ids = kPciIdsFile;
};

const char* state_word(Passthrough state) {
    switch (state) {
    case Passthrough::ready:
        return "ready";
    case Passthrough::bind:
        return "bind";
    case Passthrough::shared_group:
        return "group";
    case Passthrough::no_iommu:
        return "no-iommu";
    }
    return "";
}

// --gpu: display controllers and whatever shares their IOMMU group (their audio function).
std::vector<PciDeviceInfo> selected(const std::vector<PciDeviceInfo>& all, bool gpu) {
    if (!gpu) {
        return all;
    }
    std::set<int> groups;
    std::set<std::string> displays;
    for (const PciDeviceInfo& device : all) {
        if (is_display_device(device)) {
            displays.insert(device.address);
            if (device.iommu_group) {
                groups.insert(*device.iommu_group);
            }
        }
    }
    std::vector<PciDeviceInfo> out;
    for (const PciDeviceInfo& device : all) {
        bool in_group = device.iommu_group && groups.contains(*device.iommu_group);
        if (displays.contains(device.address) || (in_group && !is_bridge(device))) {
            out.push_back(device);
        }
    }
    return out;
}

void print_notes(const std::vector<PciDeviceInfo>& shown, const std::vector<PciDeviceInfo>& all) {
    bool any_iommu = false;
    std::set<int> explained;
    for (const PciDeviceInfo& device : shown) {
        any_iommu = any_iommu || device.iommu_group.has_value();
        std::vector<PciDeviceInfo> peers = blocking_group_peers(device, all);
        if (peers.empty() || explained.contains(*device.iommu_group)) {
            continue;
        }
        explained.insert(*device.iommu_group);
        std::string names;
        for (const PciDeviceInfo& peer : peers) {
            names += (names.empty() ? "" : ", ") + peer.address + " (" + peer.driver + ")";
        }
        std::cout << "IOMMU group " << *device.iommu_group
                  << " is unsafe to split: bind every device in it to vfio-pci and pass them "
                     "together; still on host drivers: "
                  << names << "\n";
    }
    if (!shown.empty() && !any_iommu) {
        std::cout << "No IOMMU groups: turn the IOMMU on (intel_iommu=on or amd_iommu=on on the "
                     "kernel command line) to pass devices through.\n";
    }
}

int run_devices(const DevicesOptions& options) {
    std::vector<PciDeviceInfo> all = read_pci_devices(options.sysfs_root);
    PciNames names = PciNames::load(options.pci_ids);
    std::vector<PciDeviceInfo> shown = selected(all, options.gpu);
    if (shown.empty()) {
        std::cout << (options.gpu ? "no display devices\n" : "no PCI devices\n");
        return kExitOk;
    }
    std::string format = "{:<13} {:<10} {:<14} {:<6} {:<12} {}\n";
    std::cout << fmt::format(fmt::runtime(format), "ADDRESS", "ID", "DRIVER", "GROUP",
                             "PASSTHROUGH", "DEVICE");
    for (const PciDeviceInfo& device : shown) {
        std::string group = device.iommu_group ? std::to_string(*device.iommu_group) : "-";
        std::cout << fmt::format(fmt::runtime(format), device.address,
                                 fmt::format("{:04x}:{:04x}", device.vendor_id, device.device_id),
                                 device.driver.empty() ? "-" : device.driver, group,
                                 state_word(passthrough_state(device, all)),
                                 names.describe(device));
    }
    std::cout << "\n";
    print_notes(shown, all);
    std::cout << "PASSTHROUGH: ready = bound to vfio-pci with a group that can go to a VM; bind "
                 "= bind it to vfio-pci first (holosctl up says how); group = its IOMMU group "
                 "holds devices still on host drivers.\n";
    return kExitOk;
}

} // namespace

VerbRun setup_devices(CLI::App& command, const GlobalOptions&) {
    auto options = std::make_shared<DevicesOptions>();
    command.add_flag("--gpu", options->gpu,
                     "only display controllers and the devices in their IOMMU groups");
    command.add_option("--sysfs", options->sysfs_root, "read devices below this sysfs root")
        ->type_name("DIR")
        ->group("");
    command.add_option("--pci-ids", options->pci_ids, "the pci.ids name database")
        ->type_name("FILE")
        ->group("");
    return [options] { return run_devices(*options); };
}

} // namespace holos::ctl
