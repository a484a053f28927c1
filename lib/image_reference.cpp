#include "image_reference.hpp"

#include <cctype>

namespace holos {
namespace {

// Both limits keep the longest image unit name (holos-PROJECT-image@NAME:TAG.service) under
// systemd's 255 characters.
constexpr size_t kMaxNameLength = 64;
constexpr size_t kMaxTagLength = 64;

bool is_lower_alnum(char c) {
    return std::islower(static_cast<unsigned char>(c)) != 0 ||
           std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_tag_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
}

std::string check_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxNameLength) {
        return "the name must be 1 to " + std::to_string(kMaxNameLength) + " characters";
    }
    if (!is_lower_alnum(name.front())) {
        return "the name must start with a lowercase letter or a digit";
    }
    for (char c : name) {
        if (!is_lower_alnum(c) && c != '.' && c != '_' && c != '-') {
            return "the name may only have lowercase letters, digits, \".\", \"_\" and \"-\"";
        }
    }
    return {};
}

std::string check_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > kMaxTagLength) {
        return "the tag must be 1 to " + std::to_string(kMaxTagLength) + " characters";
    }
    if (tag.front() == '.' || tag.front() == '-') {
        return "the tag must not start with \".\" or \"-\"";
    }
    for (char c : tag) {
        if (!is_tag_char(c)) {
            return "the tag may only have letters, digits, \".\", \"_\" and \"-\"";
        }
    }
    return {};
}

} // namespace

std::optional<ImageReference> parse_image_reference(std::string_view text, std::string& error) {
    size_t colon = text.find(':');
    std::string_view name = text.substr(0, colon);
    std::string_view tag =
        colon == std::string_view::npos ? kDefaultImageTag : text.substr(colon + 1);
    error = check_name(name);
    if (error.empty()) {
        error = check_tag(tag);
    }
    if (!error.empty()) {
        return std::nullopt;
    }
    return ImageReference{std::string(name), std::string(tag)};
}

} // namespace holos
