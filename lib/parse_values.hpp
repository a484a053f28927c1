// Text rules for holos.yaml values, shared by the parser's files: strict integers, names,
// file modes, user values quoted for messages, and "did you mean" suggestions. Internal to
// the parser, hence the nested namespace.
#pragma once

#include "diagnostics.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos::parsing {

// Where a value sits in the file: the position shown to the user and its key path.
struct Place {
    SourceMark mark;
    std::string path;
};

// `value` for a message: in double quotes, escaped, and cut short if long.
std::string quote(std::string_view value);

// An optional "-" and decimal digits; nullopt for leading zeros, exponents, trailing text or
// overflow.
std::optional<long long> parse_decimal(std::string_view text);

bool all_digits(std::string_view text);

// YAML 1.1, which many tools still speak, reads these words as booleans when unquoted.
bool is_yaml11_boolean(std::string_view text);

// ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$
bool is_dns_label(std::string_view name);

// ^[a-z_][a-z0-9_-]{0,31}$
bool is_posix_user_name(std::string_view name);

// Three or four octal digits, as chmod takes them.
bool is_octal_mode(std::string_view text);

// The candidate that `key` is most likely a typo of, if one is close enough.
std::optional<std::string_view> closest_key(std::string_view key,
                                            const std::vector<std::string_view>& candidates);

} // namespace holos::parsing
