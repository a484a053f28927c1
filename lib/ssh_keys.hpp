// The per-project SSH key pair that holos uses to reach its guests.
#pragma once

#include <filesystem>
#include <string>

namespace holos {

// Makes sure an ed25519 key pair exists at `private_key` (mode 0600) and
// `private_key` + ".pub" (mode 0644), creating both atomically when missing, and returns the
// public key as one authorized_keys line ("ssh-ed25519 AAAA... <comment>", the comment used
// verbatim, e.g. "holos-demo"; it must be one line without surrounding blanks). An existing
// pair is kept as it is. The directory must exist. Throws Error.
std::string ensure_key_pair(const std::filesystem::path& private_key, const std::string& comment);

// Reads the public key line written by ensure_key_pair. Throws Error when it is missing.
std::string read_public_key(const std::filesystem::path& private_key);

} // namespace holos
