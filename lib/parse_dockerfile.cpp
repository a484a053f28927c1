#include "parse_dockerfile.hpp"

#include "parse_values.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace holos::parsing {
namespace {

std::string uppercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
    return text;
}

} // namespace

std::optional<std::string> dockerfile_base_image(const std::filesystem::path& file,
                                                 std::string& problem) {
    std::ifstream in(file);
    if (!in) {
        problem = "cannot read " + quote(file.string());
        return std::nullopt;
    }
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string instruction;
        words >> instruction;
        if (uppercase(instruction) != "FROM") {
            continue; // comments, ARG lines and blank lines may precede FROM
        }
        std::string image;
        while (words >> image && image.starts_with("--")) {
        }
        if (image.empty() || image.starts_with("--") || image.find('$') != std::string::npos) {
            problem = "the FROM line of " + quote(file.string()) +
                      " does not name an image holos can read, set \"image\" instead";
            return std::nullopt;
        }
        return image;
    }
    problem = quote(file.string()) + " has no FROM line";
    return std::nullopt;
}

} // namespace holos::parsing
