// Adding a local image file to the store: `holosctl image import` and the last step of
// `holosctl image build`. The file is copied first and the copy is checked and hashed, so
// what the store holds is exactly what was checked, whatever happens to the original.
#pragma once

#include "image_reference.hpp"
#include "image_store.hpp"

#include <filesystem>
#include <string>

namespace holos {

struct ImportRequest {
    std::filesystem::path file;
    ImageReference reference;
    std::string format;            // "qcow2" or "raw"; empty: as qemu-img finds it
    std::string source = "import"; // StoredImage::source
    std::string origin;            // empty: the file's absolute path
    std::string qemu_img;          // path of qemu-img
};

// Copies, checks (check_base_image) and hashes the file, then files it under the request's
// reference (canonical through the catalogue). Throws Error; nothing is stored then.
StoredImage import_image(const ImageStore& store, const ImportRequest& request);

} // namespace holos
