// Named volumes on disk: one qcow2 per volume in the project's volumes directory
// (Paths::volumes_dir). A volume is created once, when an instance first needs it, and
// outlives every instance: `holosctl down` keeps it, only `down --volumes` removes it.
#pragma once

#include "paths.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace holos {

// Creates the qcow2 at `image` with a virtual size of `size_bytes` unless it exists.
// qemu-img writes a temporary name that is renamed when complete, so a crash never leaves
// something that looks like a finished volume. Returns true when it created the volume.
// Throws Error.
bool create_volume(const std::filesystem::path& image, std::uint64_t size_bytes,
                   const std::string& qemu_img_binary);

struct VolumeFile {
    std::string name; // the volume's name in holos.yaml
    std::filesystem::path path;
    std::uint64_t disk_bytes = 0; // what the qcow2 takes on the host
};

// The volumes a project has on disk, by name; none when the directory does not exist.
std::vector<VolumeFile> project_volume_files(const Paths& paths, const std::string& project);

// Removes the project's volumes directory and everything in it. Throws Error.
void remove_project_volumes(const Paths& paths, const std::string& project);

} // namespace holos
