// The resolved model written back out: what `holosctl config` prints. Defaults are filled in,
// paths are absolute and port ranges expanded, so the output shows exactly what holos will run.
#pragma once

#include "project.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace holos {

// A holos.yaml that parses back to the same model (given the same source file location).
// Each service also carries an "x-instances" mapping with every replica's concrete host ports,
// which the parser ignores.
std::string project_to_yaml(const Project& project);

// The same document as JSON. Strings are the resolved values, with no "$$" escaping.
nlohmann::json project_to_json(const Project& project);

// "1h", "1m30s", "500ms", "0s": the largest units that add up to `ms` exactly.
std::string format_duration(std::int64_t ms);

// "10G", "512M", or the plain number of bytes when no binary unit divides it.
std::string format_size(std::uint64_t bytes);

} // namespace holos
