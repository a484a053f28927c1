#include "atomic_file.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

namespace holos {
namespace {

class AtomicFileTest : public testing::Test {
protected:
    void SetUp() override {
        std::string pattern = testing::TempDir() + "holos-atomic-XXXXXX";
        dir_ = ::mkdtemp(pattern.data());
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

TEST_F(AtomicFileTest, WritesContentWithTheGivenMode) {
    write_file_atomic(dir_ / "f", "content", 0600);
    EXPECT_EQ(read_file(dir_ / "f"), "content");
    struct stat st {};
    ASSERT_EQ(::stat((dir_ / "f").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AtomicFileTest, ReplacesAnExistingFileAndLeavesNoTemporary) {
    write_file_atomic(dir_ / "f", "old");
    write_file_atomic(dir_ / "f", "new");
    EXPECT_EQ(read_file(dir_ / "f"), "new");
    int entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir_)) {
        ++entries;
    }
    EXPECT_EQ(entries, 1);
}

TEST_F(AtomicFileTest, FailureInAMissingDirectoryThrowsAndWritesNothing) {
    EXPECT_THROW(write_file_atomic(dir_ / "missing" / "f", "x"), std::exception);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "missing"));
}

TEST_F(AtomicFileTest, ReadingAMissingFileNamesIt) {
    try {
        read_file(dir_ / "nope");
        FAIL() << "expected an error";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
    }
}

TEST_F(AtomicFileTest, MakeDirectoryCreatesParentsAndAppliesTheMode) {
    make_directory(dir_ / "a" / "b", 0700);
    struct stat st {};
    ASSERT_EQ(::stat((dir_ / "a" / "b").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    make_directory(dir_ / "a" / "b", 0700); // existing: fine
}

} // namespace
} // namespace holos
