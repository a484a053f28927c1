// libvirt domain XML to holos.yaml: what maps onto a holos service (vCPUs, memory, machine
// type, CPU model, firmware, the first disk as the image, PCI host devices), and one warning
// for each part of the domain that does not. Pure: the caller reads the XML.
#pragma once

#include "project.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos {

struct ImportedService {
    std::string name;   // a DNS label made from the domain's name
    std::string domain; // the domain's name as libvirt has it
    int vcpu = 1;
    std::uint64_t memory_mib = 0;
    std::string machine;
    std::string cpu_model; // empty: holos's default
    bool uefi = false;
    std::string image;
    std::string image_format;
    std::vector<PciDevice> devices;
};

struct DomainImport {
    std::optional<ImportedService> service; // unset: `error` says why
    std::vector<std::string> warnings;      // one line each, without a prefix
    std::string error;
};

DomainImport import_domain(std::string_view xml);

// "2097152" with unit "KiB" (libvirt's default) in bytes; nullopt for an unknown unit or a
// value that is not a whole number.
std::optional<std::uint64_t> libvirt_bytes(std::string_view value, std::string_view unit);

// The holos.yaml text for the imported services (renamed where two share a name). One
// service names the project after itself; several are project "libvirt".
std::string imported_compose_text(std::vector<ImportedService> services);

} // namespace holos
