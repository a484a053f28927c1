// "name[:tag]": how a compose file and holosctl name an image in the local store or the
// catalogue. Names and tags are short and plain, so they are safe as file names in the store
// and as the instance part of a unit name without any escaping.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace holos {

inline constexpr std::string_view kDefaultImageTag = "latest";

struct ImageReference {
    std::string name; // lowercase letters, digits, '.', '_', '-'; starts with a letter or digit
    std::string tag;  // letters, digits, '.', '_', '-'; starts with a letter, digit or '_'

    std::string str() const { return name + ":" + tag; }
    bool operator==(const ImageReference&) const = default;
};

// Parses "name" or "name:tag"; a missing tag is "latest". On bad input returns nothing and
// sets `error` to a lowercase reason naming the offending part.
std::optional<ImageReference> parse_image_reference(std::string_view text, std::string& error);

} // namespace holos
