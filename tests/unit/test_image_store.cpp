// The store against real files: qemu-img makes the images, so what the store accepts and
// refuses is what QEMU would see.
#include "image_import.hpp"
#include "image_store.hpp"
#include "image_verify.hpp"

#include "atomic_file.hpp"
#include "digest.hpp"
#include "error.hpp"
#include "holos_build_config.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

using testing_support::TempDir;

class ImageStoreTest : public ::testing::Test {
protected:
    std::filesystem::path store_root() const { return dir_.path() / "images"; }
    ImageStore store() const { return ImageStore(store_root()); }

    std::filesystem::path make_qcow2(const std::string& name, const std::string& size = "1M",
                                     const std::string& backing = "") {
        std::filesystem::path path = dir_.path() / name;
        std::vector<std::string> argv = {HOLOS_QEMU_IMG_BINARY, "create", "-q", "-f", "qcow2"};
        if (!backing.empty()) {
            argv.insert(argv.end(), {"-F", "qcow2", "-b", backing});
        }
        argv.insert(argv.end(), {path.string(), size});
        EXPECT_EQ(run_command(argv).exit_code, 0);
        return path;
    }

    StoredImage import(const std::filesystem::path& file, const std::string& name,
                       const std::string& format = "") {
        std::string error;
        ImportRequest request{
            file, *parse_image_reference(name, error), format, "import", "", HOLOS_QEMU_IMG_BINARY};
        return import_image(store(), request);
    }

    size_t files_below(const std::string& sub) const {
        size_t count = 0;
        std::error_code ec;
        for (const auto& entry :
             std::filesystem::recursive_directory_iterator(store_root() / sub, ec)) {
            count += entry.is_regular_file() ? 1 : 0;
        }
        return count;
    }

    TempDir dir_;
};

ImageReference ref(const std::string& text) {
    std::string error;
    return *parse_image_reference(text, error);
}

TEST_F(ImageStoreTest, ImportFilesTheImageUnderItsDigestAndResolvesToThatFile) {
    std::filesystem::path file = make_qcow2("disk.qcow2");
    StoredImage image = import(file, "myimage:1");
    std::string sha256 = digest_file(file, {DigestAlgorithm::sha256}).front();

    EXPECT_EQ(image.sha256, sha256);
    EXPECT_EQ(image.format, "qcow2");
    EXPECT_EQ(image.source, "import");
    std::filesystem::path blob = store_root() / "blobs" / "sha256" / sha256;
    EXPECT_EQ(testing_support::file_mode(blob), 0444);
    EXPECT_TRUE(std::filesystem::exists(store_root() / "refs" / "myimage" / "1.json"));
    ResolvedImage resolved = resolve_image("myimage:1", dir_.path(), store_root());
    EXPECT_EQ(resolved.path, blob);
    EXPECT_EQ(resolved.format, "qcow2");
    EXPECT_EQ(files_below("tmp"), 0u);
}

TEST_F(ImageStoreTest, AnAliasIsFiledUnderTheCatalogueNameAndFoundByBoth) {
    import(make_qcow2("disk.qcow2"), "debian:bookworm");
    EXPECT_TRUE(std::filesystem::exists(store_root() / "refs" / "debian" / "12.json"));
    ASSERT_TRUE(store().find(ref("debian:bookworm")));
    EXPECT_EQ(store().find(ref("debian:bookworm"))->reference.str(), "debian:12");
    EXPECT_EQ(resolve_image("debian:12", dir_.path(), store_root()).path,
              resolve_image("debian:bookworm", dir_.path(), store_root()).path);
}

// What a re-published "latest" does: the name moves, the file an overlay uses stays.
TEST_F(ImageStoreTest, ImportingANameAgainMovesTheNameAndKeepsTheEarlierFile) {
    StoredImage first = import(make_qcow2("a.qcow2", "1M"), "myimage");
    std::filesystem::path first_blob = store().blob_path(first.sha256);
    std::string first_bytes = read_file(first_blob);
    StoredImage second = import(make_qcow2("b.qcow2", "2M"), "myimage");

    ASSERT_NE(first.sha256, second.sha256);
    EXPECT_EQ(store().find(ref("myimage"))->sha256, second.sha256);
    EXPECT_EQ(read_file(first_blob), first_bytes);
    EXPECT_EQ(store().unreferenced_blobs(), std::vector<std::string>{first.sha256});
}

TEST_F(ImageStoreTest, TheSameContentUnderTwoNamesIsOneFile) {
    std::filesystem::path file = make_qcow2("disk.qcow2");
    import(file, "one");
    import(file, "two:x");
    EXPECT_EQ(files_below("blobs"), 1u);
    std::vector<StoredImage> all = store().list();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].reference.str(), "one:latest");
    EXPECT_EQ(all[1].reference.str(), "two:x");
}

TEST_F(ImageStoreTest, RefusesAnImageWithABackingFileAndStoresNothing) {
    std::filesystem::path base = make_qcow2("base.qcow2");
    std::filesystem::path overlay = make_qcow2("overlay.qcow2", "1M", base.string());
    try {
        import(overlay, "bad");
        FAIL() << "imported an overlay";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("importing " + overlay.string() + ": " +
                                             overlay.string() + " has the backing file \"" +
                                             base.string() + "\""),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(files_below("blobs") + files_below("refs") + files_below("tmp"), 0u);
}

TEST_F(ImageStoreTest, RefusesAFileThatIsNotTheFormatClaimed) {
    write_file_atomic(dir_.path() / "junk.qcow2", std::string(4096, 'x'));
    EXPECT_THROW(import(dir_.path() / "junk.qcow2", "bad", "qcow2"), Error);
    EXPECT_EQ(files_below("blobs") + files_below("refs") + files_below("tmp"), 0u);
}

TEST_F(ImageStoreTest, ImportsARawFile) {
    write_file_atomic(dir_.path() / "disk.img", std::string(1 << 16, '\0'));
    EXPECT_EQ(import(dir_.path() / "disk.img", "rawdisk", "raw").format, "raw");
    EXPECT_EQ(resolve_image("rawdisk", dir_.path(), store_root()).format, "raw");
}

TEST_F(ImageStoreTest, AMissingImageSaysHowToGetIt) {
    auto message = [&](const std::string& image) {
        try {
            resolve_image(image, dir_.path(), store_root());
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("(resolved)");
    };
    EXPECT_NE(message("debian:13").find("download it with: holosctl pull debian:13"),
              std::string::npos);
    EXPECT_NE(message("mine:2").find("holosctl image import FILE --name mine:2"),
              std::string::npos);
    make_directory(store_root() / "old", 0755);
    write_file_atomic(store_root() / "old" / "1.qcow2", "x");
    EXPECT_NE(message("old:1").find(" is in the layout of an older holos, add it with: "
                                    "holosctl image import " +
                                    (store_root() / "old" / "1.qcow2").string() + " --name old:1"),
              std::string::npos);
}

TEST_F(ImageStoreTest, VerifyNoticesAChangedOrMissingFile) {
    StoredImage image = import(make_qcow2("disk.qcow2"), "myimage");
    EXPECT_EQ(verify_stored_image(store(), image), "");

    std::filesystem::path blob = store().blob_path(image.sha256);
    std::filesystem::permissions(blob, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    write_file_atomic(blob, "tampered");
    EXPECT_NE(verify_stored_image(store(), image).find(" has changed: its sha256 is now "),
              std::string::npos);
    std::filesystem::remove(blob);
    EXPECT_NE(verify_stored_image(store(), image).find(" is missing"), std::string::npos);
}

} // namespace
} // namespace holos
