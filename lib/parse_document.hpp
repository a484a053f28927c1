// Loading the YAML of a holos.yaml: exactly one document, syntax errors as diagnostics, and a
// guard against a yaml-cpp 0.7 bug that turns some malformed files into endless memory use.
#pragma once

#include "diagnostics.hpp"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string_view>

namespace holos::parsing {

// yaml-cpp marks are 0-based with -1 for "unknown"; diagnostics are 1-based with 0.
SourceMark to_source_mark(const YAML::Mark& mark);

// The root node of the single document in `text`; nullopt after reporting to `diagnostics` a
// syntax error, an empty file or more than one document.
std::optional<YAML::Node> load_document(std::string_view text, Diagnostics& diagnostics);

} // namespace holos::parsing
