#include "image_verify.hpp"

#include "digest.hpp"
#include "error.hpp"

namespace holos {

std::string verify_stored_image(const ImageStore& store, const StoredImage& image) {
    std::filesystem::path blob = store.blob_path(image.sha256);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(blob, ec)) {
        return "its file " + blob.string() + " is missing";
    }
    try {
        std::string actual = digest_file(blob, {DigestAlgorithm::sha256}).front();
        if (actual != image.sha256) {
            return blob.string() + " has changed: its sha256 is now " + actual;
        }
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

} // namespace holos
