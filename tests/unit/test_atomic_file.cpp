#include "atomic_file.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

class AtomicFileTest : public testing::Test {
protected:
    testing_support::TempDir temp_;
    const std::filesystem::path& dir_ = temp_.path();
};

TEST_F(AtomicFileTest, WritesContentWithTheGivenMode) {
    write_file_atomic(dir_ / "f", "content", 0600);
    EXPECT_EQ(read_file(dir_ / "f"), "content");
    EXPECT_EQ(testing_support::file_mode(dir_ / "f"), 0600u);
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

TEST_F(AtomicFileTest, AFileRewrittenBeforeUseIsReplacedWholeToo) {
    write_file_atomic(dir_ / "f", "old", 0600, Durability::rewritten_before_use);
    write_file_atomic(dir_ / "f", "new", 0600, Durability::rewritten_before_use);
    EXPECT_EQ(read_file(dir_ / "f"), "new");
    EXPECT_EQ(testing_support::file_mode(dir_ / "f"), 0600u);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                            std::filesystem::directory_iterator()),
              1);
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
    EXPECT_EQ(testing_support::file_mode(dir_ / "a" / "b"), 0700u);
    make_directory(dir_ / "a" / "b", 0700); // existing: fine
}

} // namespace
} // namespace holos
