// The allowed keys of every mapping in holos.yaml, as the parser itself uses them, so that a
// test can hold the documentation and the JSON schema to the same list.
#pragma once

#include <string>
#include <vector>

namespace holos::parsing {

struct KeyTableInfo {
    std::string path; // "" (top level), "services.*", "services.*.cloud_init.write_files[]", ...
    std::vector<std::string> keys; // in table order
};

// One entry per kind of mapping: "", "volumes.*", "network", "services.*", "services.*.vm",
// "services.*.cloud_init", "services.*.cloud_init.write_files[]", "services.*.healthcheck",
// "services.*.depends_on.*" and "services.*.devices[]".
std::vector<KeyTableInfo> key_tables();

} // namespace holos::parsing
