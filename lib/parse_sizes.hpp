// Sizes ("20G") and durations ("1m30s") in holos.yaml: one grammar each, shared by every field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace holos::parsing {

// The grammar, for messages: what a size looks like.
inline constexpr const char* kSizeGrammar =
    "a number with an optional unit B, K, M, G or T (KiB, MB etc. also accepted, all powers "
    "of 1024), like \"20G\" or \"1.5G\"";

// A decimal number (at most 20 characters, no sign, no exponent) and an optional unit, case
// insensitive: B, K/KB/KiB, M/MB/MiB, G/GB/GiB, T/TB/TiB, all binary. No unit means bytes.
// Returns nullopt with `problem` set unless the result is a whole, non-zero uint64 of bytes.
std::optional<std::uint64_t> parse_size(std::string_view text, std::string& problem);

// One or more number+unit parts ("1h", "1m30s", "1.5s", "500ms"; units ms, s, m, h), no sign.
// Returns milliseconds, or nullopt with `problem` set.
std::optional<std::int64_t> parse_duration(std::string_view text, std::string& problem);

} // namespace holos::parsing
