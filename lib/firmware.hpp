// UEFI firmware for an instance (vm.uefi, or PCI devices, which need it): OVMF's code as a
// read-only pflash drive shared by all, and a private copy of its variable store per instance,
// made once from the template so boot entries the guest writes survive restarts.
#pragma once

#include "paths.hpp"
#include "project.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace holos {

struct Firmware {
    std::filesystem::path code;          // OVMF_CODE_4M.fd
    std::filesystem::path vars_template; // OVMF_VARS_4M.fd
};

// The firmware this build was configured with (meson options ovmf_code and ovmf_vars).
Firmware configured_firmware();

// The two pflash drives; none for a service that boots with SeaBIOS.
std::vector<std::string> firmware_args(const Service& service, const InstanceFiles& files,
                                       const Firmware& firmware);

// Copies the variable store template to files.efi_vars unless the instance has its own
// already. Returns what it did ("" for nothing). Throws Error, naming the package to install
// when the template is missing.
std::string prepare_firmware(const Service& service, const InstanceFiles& files,
                             const Firmware& firmware);

} // namespace holos
