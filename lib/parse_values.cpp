#include "parse_values.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <numeric>

namespace holos::parsing {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

std::string quote(std::string_view value) {
    constexpr std::size_t kMaxShown = 60;
    std::string out = "\"";
    for (char c : value.substr(0, kMaxShown)) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else {
            out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
        }
    }
    return out + (value.size() > kMaxShown ? "...\"" : "\"");
}

// No leading zeros because YAML 1.1 reads 010 as octal 8.
std::optional<long long> parse_decimal(std::string_view text) {
    std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
    if (!all_digits(digits) || (digits.size() > 1 && digits.front() == '0')) {
        return std::nullopt;
    }
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

bool is_yaml11_boolean(std::string_view text) {
    static constexpr std::string_view kWords[] = {
        "y",    "Y",    "yes", "Yes", "YES", "n",     "N",     "no",    "No",  "NO",  "true",
        "True", "TRUE", "on",  "On",  "ON",  "false", "False", "FALSE", "off", "Off", "OFF",
    };
    return std::find(std::begin(kWords), std::end(kWords), text) != std::end(kWords);
}

bool is_dns_label(std::string_view name) {
    auto allowed = [](char c) { return is_lower(c) || is_digit(c) || c == '-'; };
    return !name.empty() && name.size() <= 63 && name.front() != '-' && name.back() != '-' &&
           std::all_of(name.begin(), name.end(), allowed);
}

bool is_posix_user_name(std::string_view name) {
    auto allowed = [](char c) { return is_lower(c) || is_digit(c) || c == '_' || c == '-'; };
    return !name.empty() && name.size() <= 32 && (is_lower(name[0]) || name[0] == '_') &&
           std::all_of(name.begin(), name.end(), allowed);
}

bool is_octal_mode(std::string_view text) {
    auto octal = [](char c) { return c >= '0' && c <= '7'; };
    return (text.size() == 3 || text.size() == 4) && std::all_of(text.begin(), text.end(), octal);
}

// Close enough: about one edit per three characters, so "imagee" finds "image" but "vm" does
// not suggest "ports".
std::optional<std::string_view> closest_key(std::string_view key,
                                            const std::vector<std::string_view>& candidates) {
    std::optional<std::string_view> best;
    std::size_t best_distance = SIZE_MAX;
    for (std::string_view candidate : candidates) {
        std::size_t distance = edit_distance(key, candidate);
        std::size_t limit = std::max<std::size_t>(1, std::max(key.size(), candidate.size()) / 3);
        if (distance <= limit && distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

} // namespace holos::parsing
