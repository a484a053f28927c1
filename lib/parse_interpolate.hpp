// Compose-style variable interpolation in holos.yaml values, and the .env file that supplies
// variables beside the process environment.
#pragma once

#include "diagnostics.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos::parsing {

using VariableMap = std::map<std::string, std::string>;

// What one interpolation looked at, beyond its result.
struct InterpolationTrace {
    VariableMap used;               // variables referenced and set, with their values
    std::vector<std::string> unset; // "$VAR" or "${VAR}" references that were not set
};

// Expands $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message},
// ${VAR:+other}, ${VAR+other} and "$$" in `text`. Unset plain references become "". Returns
// nullopt with `problem` set for bad syntax and unset required variables.
std::optional<std::string> interpolate(std::string_view text, const VariableMap& variables,
                                       InterpolationTrace& trace, std::string& problem);

// ^[A-Za-z_][A-Za-z0-9_]*$: a name a POSIX shell accepts for a variable.
bool is_variable_name(std::string_view name);

// Reads KEY=VALUE lines ("export " prefix, '#' comments, optional quotes around the value);
// each malformed line is reported to `diagnostics`, whose file should be the .env path.
VariableMap parse_env_file(std::string_view text, Diagnostics& diagnostics);

} // namespace holos::parsing
