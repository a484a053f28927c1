#include "digest.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

// FIPS 180-2 test vectors for "abc".
constexpr const char* kAbcSha256 =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kAbcSha512 =
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

TEST(Digest, ComputesBothAlgorithmsInOnePass) {
    Digester digester({DigestAlgorithm::sha256, DigestAlgorithm::sha512});
    digester.update("a");
    digester.update("bc");
    EXPECT_EQ(digester.finish(), (std::vector<std::string>{kAbcSha256, kAbcSha512}));
}

TEST(Digest, HashesAFile) {
    testing_support::TempDir dir;
    write_file_atomic(dir.path() / "f", "abc");
    EXPECT_EQ(digest_file(dir.path() / "f", {DigestAlgorithm::sha256}).front(), kAbcSha256);
}

TEST(Digest, AMissingFileIsAnError) {
    testing_support::TempDir dir;
    EXPECT_THROW(digest_file(dir.path() / "none", {DigestAlgorithm::sha256}), Error);
}

TEST(Digest, AlgorithmNamesAsChecksumFilesWriteThem) {
    EXPECT_EQ(algorithm_named("SHA256"), DigestAlgorithm::sha256);
    EXPECT_EQ(algorithm_named("sha-512"), DigestAlgorithm::sha512);
    EXPECT_FALSE(algorithm_named("MD5"));
}

} // namespace
} // namespace holos
