// Named volumes with the real qemu-img: created once, atomically, and removed only on
// request.
#include "volume_store.hpp"

#include "error.hpp"
#include "holos_build_config.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

using testing_support::file_mode;
using testing_support::TempDir;

Paths paths_in(const TempDir& dir) {
    Paths paths = system_paths();
    paths.state_dir = dir.path();
    return paths;
}

std::string virtual_size(const std::filesystem::path& image) {
    CommandResult info = run_command({HOLOS_QEMU_IMG_BINARY, "info", image.string()});
    size_t at = info.output.find("virtual size:");
    return at == std::string::npos ? info.output : info.output.substr(at, 40);
}

// The directory lets each instance's user open its own volume by name, but not list them.
TEST(VolumeStore, CreatesTheVolumeOnceWithItsSizeReadableByItsOwnerOnly) {
    TempDir dir;
    std::filesystem::path image = paths_in(dir).volume_image("shop", "pgdata");
    EXPECT_TRUE(create_volume(image, 64ULL << 20, HOLOS_QEMU_IMG_BINARY));
    EXPECT_NE(virtual_size(image).find("64 MiB"), std::string::npos) << virtual_size(image);
    EXPECT_EQ(file_mode(image.parent_path()) & 0777, 0711u);
    EXPECT_EQ(file_mode(image) & 0777, 0600u);
    EXPECT_FALSE(std::filesystem::exists(image.string() + ".tmp"));

    auto written = std::filesystem::last_write_time(image);
    EXPECT_FALSE(create_volume(image, 128ULL << 20, HOLOS_QEMU_IMG_BINARY));
    EXPECT_EQ(std::filesystem::last_write_time(image), written);
    EXPECT_NE(virtual_size(image).find("64 MiB"), std::string::npos);
}

TEST(VolumeStore, AFailedCreationLeavesNothingBehind) {
    TempDir dir;
    std::filesystem::path image = paths_in(dir).volume_image("shop", "bad");
    EXPECT_THROW(create_volume(image, 0, "/bin/false"), Error);
    EXPECT_FALSE(std::filesystem::exists(image));
    EXPECT_FALSE(std::filesystem::exists(image.string() + ".tmp"));
}

TEST(VolumeStore, ListsAndRemovesAProjectsVolumes) {
    TempDir dir;
    Paths paths = paths_in(dir);
    EXPECT_TRUE(project_volume_files(paths, "shop").empty());
    create_volume(paths.volume_image("shop", "b"), 1 << 20, HOLOS_QEMU_IMG_BINARY);
    create_volume(paths.volume_image("shop", "a"), 1 << 20, HOLOS_QEMU_IMG_BINARY);
    create_volume(paths.volume_image("other", "c"), 1 << 20, HOLOS_QEMU_IMG_BINARY);
    std::vector<VolumeFile> volumes = project_volume_files(paths, "shop");
    ASSERT_EQ(volumes.size(), 2u);
    EXPECT_EQ(volumes[0].name, "a");
    EXPECT_GT(volumes[0].disk_bytes, 0u);
    remove_project_volumes(paths, "shop");
    EXPECT_FALSE(std::filesystem::exists(paths.volumes_dir("shop")));
    EXPECT_TRUE(std::filesystem::exists(paths.volume_image("other", "c")));
}

} // namespace
} // namespace holos
