// NoCloud seed images: an ISO 9660 filesystem labelled "cidata" holding user-data, meta-data
// and network-config, built in-process with libisofs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace holos {

struct SeedFile {
    std::string name; // a plain file name at the image root, e.g. "user-data"
    std::string content;
};

// Writes the seed to `path` through a temporary file and a rename, so a reader never sees a
// partial image. Output is byte-for-byte deterministic for the same files. Throws Error.
void write_seed_iso(const std::filesystem::path& path, const std::vector<SeedFile>& files);

} // namespace holos
