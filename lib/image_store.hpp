// Finding the base image of a service: either a file path (relative to the compose file) or
// "name[:tag]" in the local image store, laid out as <store>/<name>/<tag>.qcow2 (or .raw).
#pragma once

#include <filesystem>
#include <string>

namespace holos {

struct ResolvedImage {
    std::filesystem::path path; // absolute
    std::string format;         // "qcow2" or "raw"
};

// True when `reference` names a file rather than a store entry: it contains a '/' or
// starts with '.'.
bool is_image_path(const std::string& reference);

// Throws Error naming the reference and where it was looked for when it does not exist.
ResolvedImage resolve_image(const std::string& reference, const std::filesystem::path& base_dir,
                            const std::filesystem::path& store);

} // namespace holos
