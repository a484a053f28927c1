// The one thing holos.yaml needs from a Dockerfile at parse time: its base image.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace holos::parsing {

// The image of the first FROM instruction ("FROM --platform=x debian-12 AS base" gives
// "debian-12"), or nullopt with `problem` set if the file cannot be read or has no FROM.
std::optional<std::string> dockerfile_base_image(const std::filesystem::path& file,
                                                 std::string& problem);

} // namespace holos::parsing
