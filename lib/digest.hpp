// SHA-256 and SHA-512 digests (OpenSSL's libcrypto) of data and files, as lowercase hex.
// The store names every image by its SHA-256; upstream checksum files use either.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos {

enum class DigestAlgorithm { sha256, sha512 };

std::string_view algorithm_name(DigestAlgorithm algorithm); // "sha256"
size_t digest_hex_length(DigestAlgorithm algorithm);        // 64 or 128

// "sha256", "SHA256", "sha-256" and the like; nothing for anything else.
std::optional<DigestAlgorithm> algorithm_named(std::string_view name);

// Several digests of one stream of bytes, computed in a single pass.
class Digester {
public:
    explicit Digester(const std::vector<DigestAlgorithm>& algorithms);
    ~Digester();
    Digester(const Digester&) = delete;
    Digester& operator=(const Digester&) = delete;

    void update(std::string_view data);
    // The hex digests, in the order the algorithms were given. Call once.
    std::vector<std::string> finish();

private:
    struct State;
    std::unique_ptr<State> state_;
};

// The hex digests of a file's content, read once. Throws Error.
std::vector<std::string> digest_file(const std::filesystem::path& path,
                                     const std::vector<DigestAlgorithm>& algorithms);

// True when `text` is `length` hex digits (either case).
bool is_hex_digest(std::string_view text, size_t length);

} // namespace holos
