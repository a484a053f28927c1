// Small text helpers shared by the line-oriented readers (holos.conf, checksum files, keys).
#pragma once

#include <string_view>

namespace holos {

// `text` without the leading and trailing characters found in `blanks`.
constexpr std::string_view trim(std::string_view text, std::string_view blanks = " \t\r") {
    size_t begin = text.find_first_not_of(blanks);
    if (begin == std::string_view::npos) {
        return {};
    }
    return text.substr(begin, text.find_last_not_of(blanks) - begin + 1);
}

} // namespace holos
