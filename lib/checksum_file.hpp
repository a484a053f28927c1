// Reading the checksum files distributions publish beside their cloud images. Three layouts
// are in use: GNU coreutils lines (Debian, Ubuntu), BSD lines (Fedora inside a PGP
// clear-signature, Rocky, AlmaLinux) and a bare digest per image (Alpine, Arch).
#pragma once

#include "digest.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace holos {

enum class ChecksumFormat {
    gnu,  // "HEX  NAME" or "HEX *NAME", one line per file (sha256sum's output)
    bsd,  // "SHA256 (NAME) = HEX"; any other line (armour, comments) is ignored
    bare, // the digest of the one image the file belongs to; anything after it is ignored
};

std::string_view checksum_format_name(ChecksumFormat format); // "gnu", "bsd", "bare"
std::optional<ChecksumFormat> checksum_format_named(std::string_view name);

// The digest of `file_name` in the text of a checksum file, in lowercase hex. A bare file
// may name another file after its digest: a "latest" link's file often names the dated file
// it points to. Throws Error when the file has no entry for `file_name`, two different ones,
// or a digest that is not `algorithm`'s.
std::string find_checksum(std::string_view text, ChecksumFormat format, DigestAlgorithm algorithm,
                          std::string_view file_name);

} // namespace holos
