#include "volume_store.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "process.hpp"

#include <algorithm>

namespace holos {

bool create_volume(const std::filesystem::path& image, std::uint64_t size_bytes,
                   const std::string& qemu_img_binary) {
    std::error_code ec;
    if (std::filesystem::exists(image, ec)) {
        return false;
    }
    // Searchable, not listable: each instance's user opens its own volume by name.
    make_directory(image.parent_path().parent_path(), 0711);
    make_directory(image.parent_path(), 0711);
    std::filesystem::path temp = image.string() + ".tmp";
    std::filesystem::remove(temp, ec); // left by a crash
    CommandResult result = run_command({qemu_img_binary, "create", "-q", "-f", "qcow2",
                                        temp.string(), std::to_string(size_bytes)});
    if (result.exit_code != 0) {
        std::filesystem::remove(temp, ec);
        throw Error("creating volume " + image.string() + ": " + result.output);
    }
    std::filesystem::permissions(temp, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write, ec);
    std::filesystem::rename(temp, image, ec);
    if (ec) {
        throw Error("creating volume " + image.string() + ": " + ec.message());
    }
    return true;
}

std::vector<VolumeFile> project_volume_files(const Paths& paths, const std::string& project) {
    std::vector<VolumeFile> volumes;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(paths.volumes_dir(project), ec)) {
        const std::filesystem::path& path = entry.path();
        if (path.extension() != ".qcow2" || !entry.is_regular_file(ec)) {
            continue;
        }
        std::uintmax_t bytes = std::filesystem::file_size(path, ec);
        volumes.push_back({path.stem().string(), path, ec ? 0 : bytes});
    }
    std::sort(volumes.begin(), volumes.end(),
              [](const VolumeFile& a, const VolumeFile& b) { return a.name < b.name; });
    return volumes;
}

void remove_project_volumes(const Paths& paths, const std::string& project) {
    std::error_code ec;
    std::filesystem::remove_all(paths.volumes_dir(project), ec);
    if (ec) {
        throw Error("removing " + paths.volumes_dir(project).string() + ": " + ec.message());
    }
}

} // namespace holos
