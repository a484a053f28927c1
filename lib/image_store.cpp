#include "image_store.hpp"

#include "error.hpp"

namespace holos {
namespace {

std::string format_of(const std::filesystem::path& path) {
    return path.extension() == ".raw" ? "raw" : "qcow2";
}

ResolvedImage resolve_path(const std::string& reference, const std::filesystem::path& base_dir) {
    std::filesystem::path path = base_dir / reference;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw Error("image \"" + reference + "\": " + path.string() +
                    " does not exist or is not a regular file");
    }
    return {std::filesystem::absolute(path).lexically_normal(), format_of(path)};
}

ResolvedImage resolve_store_entry(const std::string& reference,
                                  const std::filesystem::path& store) {
    size_t colon = reference.find(':');
    std::string name = reference.substr(0, colon);
    std::string tag = colon == std::string::npos ? "latest" : reference.substr(colon + 1);
    std::filesystem::path dir = store / name;
    for (const char* extension : {".qcow2", ".raw"}) {
        std::filesystem::path candidate = dir / (tag + extension);
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec)) {
            return {candidate, format_of(candidate)};
        }
    }
    throw Error("image \"" + reference + "\" is not in the image store (looked for " +
                (dir / (tag + ".qcow2")).string() + " and .raw); copy a qcow2 or raw image "
                "there, or give the image as a path");
}

} // namespace

bool is_image_path(const std::string& reference) {
    return reference.find('/') != std::string::npos || reference.starts_with('.');
}

ResolvedImage resolve_image(const std::string& reference, const std::filesystem::path& base_dir,
                            const std::filesystem::path& store) {
    if (is_image_path(reference)) {
        return resolve_path(reference, base_dir);
    }
    return resolve_store_entry(reference, store);
}

} // namespace holos
