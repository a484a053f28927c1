// pci.ids is line based: "VVVV  vendor", "\tDDDD  device", "\t\tSSSS SSSS  subsystem", and
// after the "C XX  class" lines, "\tSS  subclass" and "\t\tPP  programming interface".
#include "pci_ids.hpp"

#include <fmt/format.h>

#include <fstream>

namespace holos {
namespace {

bool hex_prefix(const std::string& line, std::size_t start, std::size_t digits,
                std::uint32_t& value) {
    if (line.size() < start + digits + 2) {
        return false;
    }
    try {
        std::size_t used = 0;
        value = static_cast<std::uint32_t>(std::stoul(line.substr(start, digits), &used, 16));
        return used == digits;
    } catch (const std::exception&) {
        return false;
    }
}

std::string name_after(const std::string& line, std::size_t start) {
    std::size_t name = line.find_first_not_of(' ', start);
    return name == std::string::npos ? std::string() : line.substr(name);
}

} // namespace

PciNames PciNames::load(const std::filesystem::path& file) {
    PciNames names;
    std::ifstream in(file);
    std::uint32_t vendor = 0;
    std::uint32_t base_class = 0;
    bool in_classes = false;
    for (std::string line; std::getline(in, line);) {
        std::uint32_t id = 0;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.starts_with("C ") && hex_prefix(line, 2, 2, id)) {
            in_classes = true;
            base_class = id;
            names.classes_[base_class << 16] = name_after(line, 4);
        } else if (line[0] != '\t' && hex_prefix(line, 0, 4, id)) {
            in_classes = false;
            vendor = id;
            names.vendors_[vendor] = name_after(line, 4);
        } else if (line[0] == '\t' && line.size() > 1 && line[1] != '\t') {
            if (in_classes && hex_prefix(line, 1, 2, id)) {
                names.classes_[base_class << 8 | id] = name_after(line, 3);
            } else if (!in_classes && hex_prefix(line, 1, 4, id)) {
                names.devices_[vendor << 16 | id] = name_after(line, 5);
            }
        }
    }
    return names;
}

std::string PciNames::describe(const PciDeviceInfo& d) const {
    auto find = [](const std::map<std::uint32_t, std::string>& map, std::uint32_t key) {
        auto it = map.find(key);
        return it == map.end() ? std::string() : it->second;
    };
    std::string kind = find(classes_, d.class_code >> 8);
    if (kind.empty()) {
        kind = find(classes_, (d.class_code >> 16) << 16);
    }
    if (kind.empty()) {
        kind = fmt::format("class {:04x}", d.class_code >> 8);
    }
    std::string vendor = find(vendors_, d.vendor_id);
    std::string device = find(devices_, std::uint32_t{d.vendor_id} << 16 | d.device_id);
    std::string name = vendor.empty() ? "" : vendor + (device.empty() ? "" : " " + device);
    return name.empty() ? kind : kind + ": " + name;
}

} // namespace holos
