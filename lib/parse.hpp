// holos.yaml -> Project. Strict: unknown keys, wrong types and out-of-range values are errors,
// all collected and reported together with file:line:column and the key path.
#pragma once

#include "diagnostics.hpp"
#include "project.hpp"

#include <filesystem>
#include <optional>
#include <string_view>

namespace holos {

struct ParseResult {
    std::optional<Project> project; // set only when there is no error
    std::vector<Diagnostic> diagnostics;
};

// Parses `text`; `display_name` names the file in messages, `source_file` (absolute) and its
// directory go into the model. Never throws for bad input.
ParseResult parse_project_text(std::string_view text, const std::string& display_name,
                               const std::filesystem::path& source_file);

// Reads and parses a file; an unreadable file is a diagnostic, not an exception.
ParseResult parse_project_file(const std::filesystem::path& file);

} // namespace holos
