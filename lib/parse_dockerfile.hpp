// A service's Dockerfile, read at parse time: its base image and its build steps, checked
// (COPY sources exist, stay inside the build context and fit the seed). Instructions that
// mean nothing for a VM are errors that name the holos.yaml field to use instead.
#pragma once

#include "diagnostics.hpp"
#include "dockerfile_build.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace holos::parsing {

struct DockerfileRead {
    bool readable = false;
    std::optional<std::string> base_image; // the FROM image, ARG defaults substituted
    std::vector<DockerfileStep> steps;
};

// Reads `file`. Its problems are added to `diagnostics` as "SHOWN:LINE:COL: KEYWORD:
// message" (`shown` names the file as the user should see it).
DockerfileRead read_dockerfile(const std::filesystem::path& file, const std::string& shown,
                               Diagnostics& diagnostics);

} // namespace holos::parsing
