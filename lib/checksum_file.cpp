#include "checksum_file.hpp"

#include "error.hpp"
#include "text.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace holos {
namespace {

// Non-empty lines that are not "#" comments, trimmed.
std::vector<std::string_view> content_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = trim(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (!line.empty() && line.front() != '#') {
            lines.push_back(line);
        }
    }
    return lines;
}

std::string lowercase(std::string_view hex) {
    std::string out(hex);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool same_file(std::string_view listed, std::string_view file_name) {
    if (listed.starts_with("./")) {
        listed.remove_prefix(2);
    }
    return listed == file_name;
}

struct Entry {
    std::string_view name;
    std::string_view hex;
};

// "HEX  NAME" (text mode) or "HEX *NAME" (binary mode).
std::optional<Entry> gnu_entry(std::string_view line) {
    size_t space = line.find_first_of(" \t");
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view rest = line.substr(space + 1);
    if (!rest.empty() && (rest.front() == ' ' || rest.front() == '*')) {
        rest.remove_prefix(1);
    }
    return Entry{rest, line.substr(0, space)};
}

// "SHA256 (NAME) = HEX"; only lines of the wanted algorithm count.
std::optional<Entry> bsd_entry(std::string_view line, DigestAlgorithm algorithm) {
    size_t open = line.find(" (");
    size_t close = line.rfind(") = ");
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
        return std::nullopt;
    }
    if (algorithm_named(line.substr(0, open)) != algorithm) {
        return std::nullopt;
    }
    return Entry{line.substr(open + 2, close - open - 2), trim(line.substr(close + 4))};
}

std::string check_digest(std::string_view hex, DigestAlgorithm algorithm, std::string_view what) {
    if (!is_hex_digest(hex, digest_hex_length(algorithm))) {
        std::string shown(hex.substr(0, 80));
        throw Error(std::string(what) + " is not a " + std::string(algorithm_name(algorithm)) +
                    " digest: \"" + shown + "\"");
    }
    return lowercase(hex);
}

std::string find_listed(std::string_view text, ChecksumFormat format, DigestAlgorithm algorithm,
                        std::string_view file_name) {
    std::set<std::string> found;
    for (std::string_view line : content_lines(text)) {
        std::optional<Entry> entry =
            format == ChecksumFormat::gnu ? gnu_entry(line) : bsd_entry(line, algorithm);
        if (entry && same_file(entry->name, file_name)) {
            found.insert(check_digest(entry->hex, algorithm,
                                      "the entry for \"" + std::string(file_name) + "\""));
        }
    }
    if (found.empty()) {
        throw Error("no " + std::string(algorithm_name(algorithm)) + " entry for \"" +
                    std::string(file_name) + "\"");
    }
    if (found.size() > 1) {
        throw Error("different digests are listed for \"" + std::string(file_name) + "\"");
    }
    return *found.begin();
}

std::string find_bare(std::string_view text, DigestAlgorithm algorithm) {
    std::vector<std::string_view> lines = content_lines(text);
    if (lines.empty()) {
        throw Error("the file is empty");
    }
    std::string_view first = lines.front();
    return check_digest(first.substr(0, first.find_first_of(" \t")), algorithm, "its first word");
}

} // namespace

std::string_view checksum_format_name(ChecksumFormat format) {
    switch (format) {
    case ChecksumFormat::gnu:
        return "gnu";
    case ChecksumFormat::bsd:
        return "bsd";
    case ChecksumFormat::bare:
        break;
    }
    return "bare";
}

std::optional<ChecksumFormat> checksum_format_named(std::string_view name) {
    for (ChecksumFormat format : {ChecksumFormat::gnu, ChecksumFormat::bsd, ChecksumFormat::bare}) {
        if (checksum_format_name(format) == name) {
            return format;
        }
    }
    return std::nullopt;
}

std::string find_checksum(std::string_view text, ChecksumFormat format, DigestAlgorithm algorithm,
                          std::string_view file_name) {
    if (format == ChecksumFormat::bare) {
        return find_bare(text, algorithm);
    }
    return find_listed(text, format, algorithm, file_name);
}

} // namespace holos
