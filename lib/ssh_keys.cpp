// One ed25519 key pair per project, generated in-process with libssh so that holos needs no
// ssh-keygen at run time. The private key is written first and the public key last: a
// present public key therefore implies a complete pair, and anything less is regenerated.
#include "ssh_keys.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "libssh_api.hpp"
#include "text.hpp"

#include <memory>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

namespace holos {
namespace {

struct KeyFree {
    void operator()(ssh_key key) const { libssh().ssh_key_free(key); }
};
struct StringFree {
    void operator()(char* text) const { libssh().ssh_string_free_char(text); }
};

using KeyPtr = std::unique_ptr<std::remove_pointer_t<ssh_key>, KeyFree>;
using TextPtr = std::unique_ptr<char, StringFree>;

std::filesystem::path public_key_path(const std::filesystem::path& private_key) {
    return std::filesystem::path(private_key.string() + ".pub");
}

bool file_exists(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

void require_directory(const std::filesystem::path& private_key, const std::string& context) {
    std::filesystem::path dir = private_key.parent_path();
    if (dir.empty()) {
        dir = ".";
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        throw Error(context + ": directory " + dir.string() + " does not exist");
    }
}

// Generates a key pair and returns {private key file content, public key line}.
std::pair<std::string, std::string> generate(const std::string& context,
                                             const std::string& comment) {
    ssh_key raw = nullptr;
    if (libssh().ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &raw) != SSH_OK) {
        throw Error(context + ": generating an ed25519 key failed");
    }
    KeyPtr key(raw);

    // For ed25519, libssh 0.10 exports the private key in the OpenSSH format.
    char* private_text = nullptr;
    if (libssh().ssh_pki_export_privkey_base64(key.get(), nullptr, nullptr, nullptr,
                                               &private_text) != SSH_OK) {
        throw Error(context + ": exporting the private key failed");
    }
    TextPtr private_key(private_text);

    char* public_text = nullptr;
    if (libssh().ssh_pki_export_pubkey_base64(key.get(), &public_text) != SSH_OK) {
        throw Error(context + ": exporting the public key failed");
    }
    TextPtr public_key(public_text);

    std::string line =
        std::string(libssh().ssh_key_type_to_char(libssh().ssh_key_type(key.get()))) + " " +
        public_key.get();
    if (!comment.empty()) {
        line += " " + comment;
    }
    return {private_key.get(), line};
}

} // namespace

std::string ensure_key_pair(const std::filesystem::path& private_key, const std::string& comment) {
    std::filesystem::path public_key = public_key_path(private_key);
    if (file_exists(private_key) && file_exists(public_key)) {
        return read_public_key(private_key);
    }
    std::string context = "creating SSH key " + private_key.string();
    if (comment.find_first_of("\r\n") != std::string::npos || comment != trim(comment, " \t\r\n")) {
        throw Error(context + ": invalid comment \"" + comment + "\"");
    }
    require_directory(private_key, context);

    auto [private_text, public_line] = generate(context, comment);
    write_file_atomic(private_key, private_text, 0600);
    write_file_atomic(public_key, public_line + "\n", 0644);
    return public_line;
}

std::string read_public_key(const std::filesystem::path& private_key) {
    return std::string(trim(read_file(public_key_path(private_key)), " \t\r\n"));
}

} // namespace holos
