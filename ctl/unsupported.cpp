#include "unsupported.hpp"

namespace holos::ctl {
namespace {

struct UnsupportedField {
    const char* key;
    bool (*used)(const Service&);
};

const UnsupportedField kUnsupported[] = {
    {"devices", [](const Service& s) { return !s.devices.empty(); }},
    {"vm.uefi", [](const Service& s) { return s.vm.uefi; }},
    {"dockerfile", [](const Service& s) { return !s.dockerfile.empty(); }},
};

} // namespace

std::vector<std::string> unsupported_fields(const Project& project) {
    std::vector<std::string> lines;
    for (const Service& service : project.services) {
        for (const UnsupportedField& field : kUnsupported) {
            if (field.used(service)) {
                lines.push_back("services." + service.name + "." + field.key +
                                " is not acted on yet (see holos.yaml(5)); the VM starts "
                                "without it");
            }
        }
    }
    return lines;
}

} // namespace holos::ctl
