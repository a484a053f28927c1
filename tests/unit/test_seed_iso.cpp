#include "seed_iso.hpp"

#include "atomic_file.hpp"
#include "error.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <thread>

namespace fs = std::filesystem;

namespace {

// Offsets in an ISO 9660 image: the primary volume descriptor sits in sector 16, its volume
// identifier is 32 bytes at offset 40.
constexpr size_t kPrimaryDescriptor = 16 * 2048;
constexpr size_t kVolumeIdOffset = kPrimaryDescriptor + 40;
constexpr size_t kVolumeIdSize = 32;

using holos::testing_support::TempDir;

std::vector<holos::SeedFile> sample_files() {
    return {
        {"user-data", "#cloud-config\nhostname: web-0\n"},
        {"meta-data", "instance-id: holos-demo-web-0\nlocal-hostname: web-0\n"},
        {"network-config", "version: 2\nethernets: {}\n"},
    };
}

// Runs `command` and returns its standard output; empty when it fails.
std::string run(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    std::string output;
    if (!pipe) {
        return output;
    }
    char chunk[4096];
    size_t n;
    while ((n = std::fread(chunk, 1, sizeof(chunk), pipe.get())) > 0) {
        output.append(chunk, n);
    }
    return output;
}

bool have_program(const std::string& name) {
    return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

} // namespace

TEST(SeedIso, LabelsThePrimaryVolumeCidata) {
    TempDir dir;
    fs::path seed = dir.path() / "seed.iso";
    holos::write_seed_iso(seed, sample_files());

    std::string image = holos::read_file(seed);
    ASSERT_GT(image.size(), kVolumeIdOffset + kVolumeIdSize);
    EXPECT_EQ(image[kPrimaryDescriptor], 1); // descriptor type: primary
    EXPECT_EQ(image.substr(kPrimaryDescriptor + 1, 5), "CD001");
    std::string expected = "cidata" + std::string(kVolumeIdSize - 6, ' ');
    EXPECT_EQ(image.substr(kVolumeIdOffset, kVolumeIdSize), expected);
}

TEST(SeedIso, ContainsEachFileContent) {
    TempDir dir;
    fs::path seed = dir.path() / "seed.iso";
    holos::write_seed_iso(seed, sample_files());

    std::string image = holos::read_file(seed);
    for (const holos::SeedFile& file : sample_files()) {
        EXPECT_NE(image.find(file.content), std::string::npos) << file.name;
    }
}

TEST(SeedIso, IsByteForByteDeterministicAcrossTime) {
    TempDir dir;
    holos::write_seed_iso(dir.path() / "a.iso", sample_files());
    // Cross a second boundary so that any timestamp taken from the clock would differ.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    holos::write_seed_iso(dir.path() / "b.iso", sample_files());

    EXPECT_TRUE(holos::read_file(dir.path() / "a.iso") == holos::read_file(dir.path() / "b.iso"));
}

TEST(SeedIso, WritesTheImageWithMode0600) {
    TempDir dir;
    fs::path seed = dir.path() / "seed.iso";
    holos::write_seed_iso(seed, sample_files());

    struct stat st {};
    ASSERT_EQ(::stat(seed.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST(SeedIso, ReplacesAnExistingImage) {
    TempDir dir;
    fs::path seed = dir.path() / "seed.iso";
    holos::write_seed_iso(seed, {{"user-data", "first-version"}});
    holos::write_seed_iso(seed, {{"user-data", "second-version"}});

    std::string image = holos::read_file(seed);
    EXPECT_EQ(image.find("first-version"), std::string::npos);
    EXPECT_NE(image.find("second-version"), std::string::npos);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(SeedIso, AcceptsAnEmptyFile) {
    TempDir dir;
    fs::path seed = dir.path() / "seed.iso";
    holos::write_seed_iso(seed, {{"meta-data", ""}, {"user-data", "#cloud-config\n"}});
    EXPECT_TRUE(fs::exists(seed));
}

TEST(SeedIso, ThrowsForAMissingDirectoryWithoutLeavingFiles) {
    TempDir dir;
    fs::path seed = dir.path() / "missing" / "seed.iso";

    EXPECT_THROW(holos::write_seed_iso(seed, sample_files()), holos::Error);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SeedIso, RejectsAFileNameWithASlash) {
    TempDir dir;
    fs::path seed = dir.path() / "seed.iso";
    try {
        holos::write_seed_iso(seed, {{"a/user-data", "x"}});
        FAIL() << "expected holos::Error";
    } catch (const holos::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "building seed image " + seed.string() + ": invalid file name \"a/user-data\"");
    }
    EXPECT_FALSE(fs::exists(seed));
}

TEST(SeedIso, RejectsDuplicateFileNames) {
    TempDir dir;
    fs::path seed = dir.path() / "seed.iso";
    EXPECT_THROW(holos::write_seed_iso(seed, {{"user-data", "a"}, {"user-data", "b"}}),
                 holos::Error);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

// Cross-checks the image with an independent ISO reader, when one is installed.
TEST(SeedIso, ListsTheFilesByNameWithAnExternalReader) {
    struct Reader {
        const char* program;
        const char* before; // arguments before the image path
        const char* after;  // and after it
    };
    const Reader readers[] = {
        {"isoinfo", "-R -f -i", ""},
        {"xorriso", "-indev", "-find / -type f"},
        {"bsdtar", "-tf", ""},
        {"7z", "l", ""},
    };
    TempDir dir;
    fs::path seed = dir.path() / "seed.iso";
    holos::write_seed_iso(seed, sample_files());

    for (const Reader& reader : readers) {
        if (!have_program(reader.program)) {
            continue;
        }
        std::string listing = run(std::string(reader.program) + " " + reader.before + " '" +
                                  seed.string() + "' " + reader.after + " 2>&1");
        for (const holos::SeedFile& file : sample_files()) {
            EXPECT_NE(listing.find(file.name), std::string::npos)
                << reader.program << " does not list " << file.name << ":\n"
                << listing;
        }
        return;
    }
    GTEST_SKIP() << "no ISO reader installed (isoinfo, xorriso, bsdtar or 7z)";
}
