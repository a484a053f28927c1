#include "digest.hpp"

#include "error.hpp"
#include "shared_library.hpp"
#include "unique_fd.hpp"

#include <array>
#include <cctype>
#include <cerrno>
#include <fcntl.h>
#include <openssl/evp.h>

// Every OpenSSL function holos calls; libcrypto is opened at first use (see
// shared_library.hpp), as only image imports, pulls and Dockerfile inputs are digested.
#define HOLOS_LIBCRYPTO_FUNCTIONS(X)                                                               \
    X(EVP_sha256)                                                                                  \
    X(EVP_sha512)                                                                                  \
    X(EVP_MD_CTX_new)                                                                              \
    X(EVP_MD_CTX_free)                                                                             \
    X(EVP_DigestInit_ex)                                                                           \
    X(EVP_DigestUpdate)                                                                            \
    X(EVP_DigestFinal_ex)

namespace holos {
namespace {

struct LibCrypto {
    HOLOS_LIBCRYPTO_FUNCTIONS(HOLOS_DECLARE_FUNCTION)
};

LibCrypto open_libcrypto() {
    const char* soname = "libcrypto.so.3";
    void* library = open_shared_library(soname, "libssl3", "computing a digest");
    LibCrypto api;
    HOLOS_LIBCRYPTO_FUNCTIONS(HOLOS_BIND_FUNCTION)
    return api;
}

const LibCrypto& libcrypto() {
    static const LibCrypto api = open_libcrypto();
    return api;
}

const EVP_MD* evp_of(DigestAlgorithm algorithm) {
    return algorithm == DigestAlgorithm::sha256 ? libcrypto().EVP_sha256()
                                                : libcrypto().EVP_sha512();
}

std::string to_hex(const unsigned char* bytes, unsigned int size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        hex.push_back(kDigits[bytes[i] >> 4]);
        hex.push_back(kDigits[bytes[i] & 0x0f]);
    }
    return hex;
}

struct ContextDeleter {
    void operator()(EVP_MD_CTX* context) const { libcrypto().EVP_MD_CTX_free(context); }
};

} // namespace

struct Digester::State {
    std::vector<std::unique_ptr<EVP_MD_CTX, ContextDeleter>> contexts;
};

std::string_view algorithm_name(DigestAlgorithm algorithm) {
    return algorithm == DigestAlgorithm::sha256 ? "sha256" : "sha512";
}

size_t digest_hex_length(DigestAlgorithm algorithm) {
    return algorithm == DigestAlgorithm::sha256 ? 64 : 128;
}

std::optional<DigestAlgorithm> algorithm_named(std::string_view name) {
    std::string plain;
    for (char c : name) {
        if (c != '-') {
            plain.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    if (plain == "sha256") {
        return DigestAlgorithm::sha256;
    }
    if (plain == "sha512") {
        return DigestAlgorithm::sha512;
    }
    return std::nullopt;
}

Digester::Digester(const std::vector<DigestAlgorithm>& algorithms)
    : state_(std::make_unique<State>()) {
    for (DigestAlgorithm algorithm : algorithms) {
        std::unique_ptr<EVP_MD_CTX, ContextDeleter> context(libcrypto().EVP_MD_CTX_new());
        if (!context ||
            libcrypto().EVP_DigestInit_ex(context.get(), evp_of(algorithm), nullptr) != 1) {
            throw Error("starting a " + std::string(algorithm_name(algorithm)) +
                        " digest: OpenSSL failed");
        }
        state_->contexts.push_back(std::move(context));
    }
}

Digester::~Digester() = default;

void Digester::update(std::string_view data) {
    for (auto& context : state_->contexts) {
        libcrypto().EVP_DigestUpdate(context.get(), data.data(), data.size());
    }
}

std::vector<std::string> Digester::finish() {
    std::vector<std::string> digests;
    for (auto& context : state_->contexts) {
        std::array<unsigned char, EVP_MAX_MD_SIZE> bytes{};
        unsigned int size = 0;
        libcrypto().EVP_DigestFinal_ex(context.get(), bytes.data(), &size);
        digests.push_back(to_hex(bytes.data(), size));
    }
    return digests;
}

std::vector<std::string> digest_file(const std::filesystem::path& path,
                                     const std::vector<DigestAlgorithm>& algorithms) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        throw system_error("reading " + path.string(), errno);
    }
    Digester digester(algorithms);
    std::vector<char> buffer(1 << 20);
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw system_error("reading " + path.string(), errno);
        }
        if (n == 0) {
            return digester.finish();
        }
        digester.update({buffer.data(), static_cast<size_t>(n)});
    }
}

bool is_hex_digest(std::string_view text, size_t length) {
    if (text.size() != length) {
        return false;
    }
    for (char c : text) {
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
            return false;
        }
    }
    return true;
}

} // namespace holos
