// The local image store, content-addressed so that a base image never changes under an
// overlay:
//
//   <store>/blobs/sha256/<hex>        image files, read-only, named by the SHA-256 of their bytes
//   <store>/refs/<name>/<tag>.json    what name:tag is now: a digest, a format, its origin
//   <store>/tmp/                      downloads in progress, copies being imported, locks
//
// Overlays are created on the blob path, never on a name. Pulling or importing a name again
// only rewrites its reference (atomically); the blob an older overlay uses stays.
#pragma once

#include "image_reference.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace holos {

struct StoredImage {
    ImageReference reference;     // canonical
    std::string sha256;           // hex digest of the blob
    std::string format;           // "qcow2" or "raw"
    std::uint64_t size_bytes = 0; // of the blob
    std::string source;           // "pull", "import" or "build"
    std::string origin;           // the URL, the imported file, or the build script
    std::string upstream_digest;  // "sha512:HEX" as the checksum file gave it (pulls only)
    std::string added;            // UTC, "2025-01-31T12:00:00Z"
};

class ImageStore {
public:
    explicit ImageStore(std::filesystem::path root);

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path blob_path(const std::string& sha256) const;
    // Created on first use, on the store's filesystem so a finished file can be renamed in.
    std::filesystem::path temp_dir() const;

    // The stored image a reference names (aliases resolved through the catalogue). Throws
    // Error when its reference file is unreadable.
    std::optional<StoredImage> find(const ImageReference& reference) const;
    // Every stored reference, by name and tag. Throws Error.
    std::vector<StoredImage> list() const;

    // Moves `file` (under temp_dir()) into the store as the blob of `sha256`, read-only.
    // When that blob exists already, `file` is removed instead. Returns the blob's path.
    std::filesystem::path add_blob(const std::filesystem::path& file,
                                   const std::string& sha256) const;
    // Points image.reference at image.sha256, replacing what it named before. Throws Error.
    void write_reference(const StoredImage& image) const;

    // Blobs that no reference names: earlier versions of re-pulled images, which overlays
    // may still use.
    std::vector<std::string> unreferenced_blobs() const;

    // The file of the layout before content addressing (<store>/<name>/<tag>.qcow2 or
    // .raw), if one is there: such files are no longer used, but named in messages.
    std::optional<std::filesystem::path> old_layout_file(const ImageReference& reference) const;

private:
    std::filesystem::path reference_path(const ImageReference& reference) const;

    std::filesystem::path root_;
};

// An exclusive lock on one operation of the store (a pull of one image), held for the
// object's lifetime; a second holder waits.
class StoreLock {
public:
    StoreLock(const ImageStore& store, const std::string& key);
    ~StoreLock();
    StoreLock(const StoreLock&) = delete;
    StoreLock& operator=(const StoreLock&) = delete;

private:
    int fd_ = -1;
};

// The current time as StoredImage::added has it.
std::string utc_timestamp();

struct ResolvedImage {
    std::filesystem::path path; // absolute
    std::string format;         // "qcow2" or "raw"
};

// True when `reference` names a file rather than a store entry: it contains a '/' or
// starts with '.'.
bool is_image_path(const std::string& reference);

// A file path (relative to `base_dir`) or a store reference, as the blob's path. Throws
// Error naming the reference and what to do when it is not there.
ResolvedImage resolve_image(const std::string& reference, const std::filesystem::path& base_dir,
                            const std::filesystem::path& store);

} // namespace holos
