// holos.yaml -> Project. Strict: unknown keys, wrong types and out-of-range values are errors,
// all collected and reported together with file:line:column and the key path.
#pragma once

#include "diagnostics.hpp"
#include "project.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace holos {

// Variables for ${VAR} interpolation, by name.
using Variables = std::map<std::string, std::string>;

struct ParseResult {
    std::optional<Project> project; // set only when there is no error
    std::vector<Diagnostic> diagnostics;
    // Every variable the file referenced that was set, with its value: parsing the same text
    // again with these variables gives the same project.
    Variables variables_used;
};

// Parses `text`; `display_name` names the file in messages, `source_file` (absolute) and its
// directory go into the model. Interpolation sees no variables. Never throws for bad input.
ParseResult parse_project_text(std::string_view text, const std::string& display_name,
                               const std::filesystem::path& source_file);

// The same, with `variables` for interpolation.
ParseResult parse_project_text(std::string_view text, const std::string& display_name,
                               const std::filesystem::path& source_file,
                               const Variables& variables);

// Reads and parses a file, with the process environment over the .env file beside it as
// variables; an unreadable file is a diagnostic, not an exception.
ParseResult parse_project_file(const std::filesystem::path& file);

} // namespace holos
