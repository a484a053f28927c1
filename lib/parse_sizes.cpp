// Every size is binary, "GB" included: disk images and guest memory are counted in powers of
// 1024, and a size that silently meant 7% less than the user thought would be worse than one
// rule stated in every message. Arithmetic is exact (no floating point): "1.5G" is 3 * 2^29.
#include "parse_sizes.hpp"

#include "parse_values.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace holos::parsing {
namespace {

__extension__ typedef unsigned __int128 Wide;

constexpr std::size_t kMaxNumberChars = 20;

struct Unit {
    std::string_view name;
    Wide factor;
};

constexpr Wide kKiB = 1024;
constexpr Unit kSizeUnits[] = {
    {"", 1},
    {"b", 1},
    {"k", kKiB},
    {"kb", kKiB},
    {"kib", kKiB},
    {"m", kKiB << 10},
    {"mb", kKiB << 10},
    {"mib", kKiB << 10},
    {"g", kKiB << 20},
    {"gb", kKiB << 20},
    {"gib", kKiB << 20},
    {"t", kKiB << 30},
    {"tb", kKiB << 30},
    {"tib", kKiB << 30},
};

constexpr Unit kDurationUnits[] = {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// A number "digits[.digits]" at the start of `text`, as mantissa / 10^scale.
struct Decimal {
    Wide mantissa = 0;
    Wide scale = 1;
    std::size_t length = 0; // characters read; 0 if there is no number
};

Decimal read_decimal(std::string_view text) {
    Decimal number;
    std::size_t i = 0;
    bool fraction = false;
    while (i < text.size() && i < kMaxNumberChars + 1 &&
           (is_digit(text[i]) || (text[i] == '.' && !fraction && i > 0))) {
        if (text[i] == '.') {
            fraction = true;
        } else {
            number.mantissa = number.mantissa * 10 + static_cast<unsigned>(text[i] - '0');
            number.scale *= fraction ? 10 : 1;
        }
        ++i;
    }
    bool complete = i > 0 && text[i - 1] != '.' && i <= kMaxNumberChars;
    number.length = complete ? i : 0;
    return number;
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string duration_grammar(std::string_view text) {
    return "expected a duration like \"30s\", \"1m30s\" or \"500ms\" (units ms, s, m, h), got " +
           quote(text);
}

} // namespace

std::optional<std::uint64_t> parse_size(std::string_view text, std::string& problem) {
    Decimal number = read_decimal(text);
    std::string unit = lowercase(text.substr(number.length));
    const Unit* match = std::find_if(std::begin(kSizeUnits), std::end(kSizeUnits),
                                     [&](const Unit& u) { return u.name == unit; });
    if (number.length == 0 || match == std::end(kSizeUnits)) {
        problem = std::string("expected a size: ") + kSizeGrammar + ", got " + quote(text);
        return std::nullopt;
    }
    Wide scaled = number.mantissa * match->factor;
    if (scaled % number.scale != 0) {
        problem = "size " + quote(text) + " is not a whole number of bytes";
        return std::nullopt;
    }
    Wide bytes = scaled / number.scale;
    if (bytes > std::numeric_limits<std::uint64_t>::max()) {
        problem = "size " + quote(text) + " is too large";
        return std::nullopt;
    }
    if (bytes == 0) {
        problem = "size " + quote(text) + " must not be zero";
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(bytes);
}

// A year: far beyond any timeout or interval that makes sense, and small enough that every
// sum and rounding the units do with it stays far from overflowing.
constexpr Wide kMaxDurationMs = Wide{366} * 24 * 3600 * 1000;

std::optional<std::int64_t> parse_duration(std::string_view text, std::string& problem) {
    if (!text.empty() && std::all_of(text.begin(), text.end(), is_digit)) {
        problem = "expected a duration, got the bare number " + quote(text) +
                  ": add a unit, e.g. \"" + std::string(text) + "s\"";
        return std::nullopt;
    }
    Wide total = 0;
    std::string_view rest = text;
    do {
        Decimal number = read_decimal(rest);
        rest.remove_prefix(number.length);
        std::string_view unit = rest.substr(0, rest.find_first_of("0123456789."));
        const Unit* match = std::find_if(std::begin(kDurationUnits), std::end(kDurationUnits),
                                         [&](const Unit& u) { return u.name == unit; });
        if (number.length == 0 || match == std::end(kDurationUnits)) {
            problem = duration_grammar(text);
            return std::nullopt;
        }
        rest.remove_prefix(unit.size());
        Wide scaled = number.mantissa * match->factor;
        if (scaled % number.scale != 0) {
            problem = "duration " + quote(text) + " is not a whole number of milliseconds";
            return std::nullopt;
        }
        total += scaled / number.scale;
        if (total > kMaxDurationMs) {
            problem = "duration " + quote(text) + " is too long (at most 8784h, a year)";
            return std::nullopt;
        }
    } while (!rest.empty());
    return static_cast<std::int64_t>(total);
}

} // namespace holos::parsing
