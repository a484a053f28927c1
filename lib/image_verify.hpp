// Re-checking the store offline: every blob must still hash to the digest it is filed under.
#pragma once

#include "image_store.hpp"

#include <string>

namespace holos {

// Empty when the image's blob exists and its SHA-256 is the one it is filed under;
// otherwise what is wrong, in one lowercase line. Never touches the network.
std::string verify_stored_image(const ImageStore& store, const StoredImage& image);

} // namespace holos
