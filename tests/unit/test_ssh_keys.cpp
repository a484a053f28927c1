#include "ssh_keys.hpp"

#include "atomic_file.hpp"
#include "error.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace {

using holos::testing_support::TempDir;

using holos::testing_support::file_mode;

// The base64 field of an authorized_keys line.
std::string key_field(const std::string& line) {
    size_t begin = line.find(' ') + 1;
    return line.substr(begin, line.find_first_of(" \n", begin) - begin);
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

} // namespace

TEST(SshKeys, CreatesAPrivateKeyWithMode0600AndAPublicKeyWith0644) {
    TempDir dir;
    fs::path key = dir.path() / "id_ed25519";
    holos::ensure_key_pair(key, "holos-demo");

    EXPECT_EQ(file_mode(key), 0600u);
    EXPECT_EQ(file_mode(dir.path() / "id_ed25519.pub"), 0644u);
    EXPECT_NE(holos::read_file(key).find("-----BEGIN OPENSSH PRIVATE KEY-----"), std::string::npos);
}

TEST(SshKeys, ReturnsOneAuthorizedKeysLine) {
    TempDir dir;
    std::string line = holos::ensure_key_pair(dir.path() / "id_ed25519", "holos-demo");

    // The base64 blob starts with the encoded key type; 32 key bytes make it 68 characters.
    std::string blob = key_field(line);
    EXPECT_EQ(line, "ssh-ed25519 " + blob + " holos-demo");
    EXPECT_EQ(blob.rfind("AAAAC3NzaC1lZDI1NTE5", 0), 0u) << blob;
    EXPECT_EQ(blob.size(), 68u) << blob;
    EXPECT_EQ(holos::read_file(dir.path() / "id_ed25519.pub"), line + "\n");
}

TEST(SshKeys, KeepsAnExistingPair) {
    TempDir dir;
    fs::path key = dir.path() / "id_ed25519";
    std::string first = holos::ensure_key_pair(key, "holos-demo");
    std::string private_key = holos::read_file(key);
    auto written = fs::last_write_time(key);

    std::string second = holos::ensure_key_pair(key, "holos-other");

    EXPECT_EQ(second, first);
    EXPECT_EQ(holos::read_file(key), private_key);
    EXPECT_EQ(fs::last_write_time(key), written);
}

TEST(SshKeys, RegeneratesBothWhenThePublicKeyIsMissing) {
    TempDir dir;
    fs::path key = dir.path() / "id_ed25519";
    std::string first = holos::ensure_key_pair(key, "holos-demo");
    std::string private_key = holos::read_file(key);
    fs::remove(dir.path() / "id_ed25519.pub");

    std::string second = holos::ensure_key_pair(key, "holos-demo");

    EXPECT_NE(key_field(second), key_field(first));
    EXPECT_NE(holos::read_file(key), private_key);
    EXPECT_EQ(holos::read_public_key(key), second);
}

TEST(SshKeys, RegeneratesBothWhenThePrivateKeyIsMissing) {
    TempDir dir;
    fs::path key = dir.path() / "id_ed25519";
    std::string first = holos::ensure_key_pair(key, "holos-demo");
    fs::remove(key);

    std::string second = holos::ensure_key_pair(key, "holos-demo");

    EXPECT_NE(key_field(second), key_field(first));
    EXPECT_TRUE(fs::exists(key));
}

TEST(SshKeys, ReadPublicKeyReturnsTheTrimmedLine) {
    TempDir dir;
    fs::path key = dir.path() / "id_ed25519";
    std::string line = holos::ensure_key_pair(key, "holos-demo");
    EXPECT_EQ(holos::read_public_key(key), line);
}

TEST(SshKeys, ReadPublicKeyThrowsWhenMissing) {
    TempDir dir;
    EXPECT_THROW(holos::read_public_key(dir.path() / "id_ed25519"), holos::Error);
}

TEST(SshKeys, ThrowsWhenTheDirectoryDoesNotExist) {
    TempDir dir;
    fs::path key = dir.path() / "missing" / "id_ed25519";
    try {
        holos::ensure_key_pair(key, "holos-demo");
        FAIL() << "expected holos::Error";
    } catch (const holos::Error& e) {
        EXPECT_EQ(std::string(e.what()), "creating SSH key " + key.string() + ": directory " +
                                             (dir.path() / "missing").string() + " does not exist");
    }
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SshKeys, RejectsAMultiLineComment) {
    TempDir dir;
    EXPECT_THROW(holos::ensure_key_pair(dir.path() / "id_ed25519", "holos\nevil"), holos::Error);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

// ssh-keygen deriving the same public key proves the private key file is valid OpenSSH.
TEST(SshKeys, PrivateKeyIsReadableBySshKeygen) {
    if (std::system("command -v ssh-keygen >/dev/null 2>&1") != 0) {
        GTEST_SKIP() << "ssh-keygen is not installed";
    }
    TempDir dir;
    fs::path key = dir.path() / "id_ed25519";
    std::string line = holos::ensure_key_pair(key, "holos-demo");

    std::string derived = run("ssh-keygen -y -f '" + key.string() + "' 2>&1");
    EXPECT_EQ(key_field(derived), key_field(line)) << derived;
}
