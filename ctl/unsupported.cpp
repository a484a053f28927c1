#include "unsupported.hpp"

namespace holos::ctl {
namespace {

struct UnsupportedField {
    const char* key;
    bool (*used)(const Service&);
};

const UnsupportedField kUnsupported[] = {
    {"depends_on", [](const Service& s) { return !s.depends_on.empty(); }},
    {"healthcheck", [](const Service& s) { return s.healthcheck.has_value(); }},
    {"volumes", [](const Service& s) { return !s.volumes.empty(); }},
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
