#include "image_store.hpp"

#include "atomic_file.hpp"
#include "digest.hpp"
#include "error.hpp"
#include "image_catalogue.hpp"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace holos {
namespace {

constexpr const char* kReferenceSuffix = ".json";

nlohmann::json to_json(const StoredImage& image) {
    return {{"image", image.reference.str()},
            {"sha256", image.sha256},
            {"format", image.format},
            {"size_bytes", image.size_bytes},
            {"source", image.source},
            {"origin", image.origin},
            {"upstream_digest", image.upstream_digest},
            {"added", image.added}};
}

StoredImage read_reference(const std::filesystem::path& path, const ImageReference& reference) {
    try {
        nlohmann::json json = nlohmann::json::parse(read_file(path));
        StoredImage image{reference,
                          json.at("sha256").get<std::string>(),
                          json.at("format").get<std::string>(),
                          json.at("size_bytes").get<std::uint64_t>(),
                          json.value("source", std::string()),
                          json.value("origin", std::string()),
                          json.value("upstream_digest", std::string()),
                          json.value("added", std::string())};
        if (!is_hex_digest(image.sha256, digest_hex_length(DigestAlgorithm::sha256))) {
            throw Error("\"sha256\" is not a digest");
        }
        return image;
    } catch (const nlohmann::json::exception& e) {
        throw Error("reading " + path.string() + ": " + e.what());
    } catch (const Error& e) {
        throw Error("reading " + path.string() + ": " + e.what());
    }
}

void sync_directory(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::vector<std::filesystem::path> entries_of(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> entries;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        entries.push_back(entry.path());
    }
    std::sort(entries.begin(), entries.end());
    return entries;
}

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

std::string missing_image_advice(const ImageStore& store, const ImageReference& reference) {
    if (std::optional<std::filesystem::path> old = store.old_layout_file(reference)) {
        return "; " + old->string() +
               " is in the layout of an older holos, add it with: "
               "holosctl image import " +
               old->string() + " --name " + reference.str();
    }
    if (find_in_catalogue(reference) != nullptr) {
        return "; download it with: holosctl pull " + reference.str();
    }
    return "; add a file with: holosctl image import FILE --name " + reference.str() +
           ", or give the image as a path";
}

ResolvedImage resolve_stored(const std::string& text, const std::filesystem::path& root) {
    std::string problem;
    std::optional<ImageReference> reference = parse_image_reference(text, problem);
    if (!reference) {
        throw Error("image \"" + text + "\": " + problem);
    }
    ImageStore store(root);
    std::optional<StoredImage> image = store.find(*reference);
    if (!image) {
        throw Error("image \"" + text + "\" is not in the image store (" + root.string() + ")" +
                    missing_image_advice(store, canonical_reference(*reference)));
    }
    std::filesystem::path blob = store.blob_path(image->sha256);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(blob, ec)) {
        throw Error("image \"" + text + "\": its file " + blob.string() +
                    " is missing from the image store; pull or import it again");
    }
    return {blob, image->format};
}

} // namespace

ImageStore::ImageStore(std::filesystem::path root) : root_(std::move(root)) {
}

std::filesystem::path ImageStore::blob_path(const std::string& sha256) const {
    return root_ / "blobs" / "sha256" / sha256;
}

std::filesystem::path ImageStore::temp_dir() const {
    std::filesystem::path dir = root_ / "tmp";
    make_directory(dir, 0700);
    return dir;
}

std::filesystem::path ImageStore::reference_path(const ImageReference& reference) const {
    return root_ / "refs" / reference.name / (reference.tag + kReferenceSuffix);
}

std::optional<StoredImage> ImageStore::find(const ImageReference& reference) const {
    ImageReference canonical = canonical_reference(reference);
    std::filesystem::path path = reference_path(canonical);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return std::nullopt;
    }
    return read_reference(path, canonical);
}

std::vector<StoredImage> ImageStore::list() const {
    std::vector<StoredImage> images;
    for (const auto& name_dir : entries_of(root_ / "refs")) {
        for (const auto& file : entries_of(name_dir)) {
            std::string tag = file.filename().string();
            if (!tag.ends_with(kReferenceSuffix)) {
                continue; // a temporary file of a reference being written
            }
            tag.resize(tag.size() - std::string(kReferenceSuffix).size());
            images.push_back(read_reference(file, {name_dir.filename().string(), tag}));
        }
    }
    return images;
}

std::filesystem::path ImageStore::add_blob(const std::filesystem::path& file,
                                           const std::string& sha256) const {
    std::filesystem::path blob = blob_path(sha256);
    make_directory(blob.parent_path(), 0755);
    std::error_code ec;
    if (std::filesystem::exists(blob, ec)) {
        std::filesystem::remove(file, ec);
        return blob;
    }
    if (::chmod(file.c_str(), 0444) < 0) {
        throw system_error("making " + file.string() + " read-only", errno);
    }
    if (::rename(file.c_str(), blob.c_str()) < 0) {
        throw system_error("moving " + file.string() + " to " + blob.string(), errno);
    }
    sync_directory(blob.parent_path());
    return blob;
}

void ImageStore::write_reference(const StoredImage& image) const {
    std::filesystem::path path = reference_path(image.reference);
    make_directory(path.parent_path(), 0755);
    write_file_atomic(path, to_json(image).dump(2) + "\n", 0644);
}

std::vector<std::string> ImageStore::unreferenced_blobs() const {
    std::set<std::string> used;
    for (const StoredImage& image : list()) {
        used.insert(image.sha256);
    }
    std::vector<std::string> unused;
    for (const auto& blob : entries_of(root_ / "blobs" / "sha256")) {
        if (!used.contains(blob.filename().string())) {
            unused.push_back(blob.filename().string());
        }
    }
    return unused;
}

std::optional<std::filesystem::path>
ImageStore::old_layout_file(const ImageReference& reference) const {
    for (const char* extension : {".qcow2", ".raw"}) {
        std::filesystem::path file = root_ / reference.name / (reference.tag + extension);
        std::error_code ec;
        if (std::filesystem::is_regular_file(file, ec)) {
            return file;
        }
    }
    return std::nullopt;
}

StoreLock::StoreLock(const ImageStore& store, const std::string& key) {
    std::filesystem::path path = store.temp_dir() / (key + ".lock");
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        throw system_error("opening " + path.string(), errno);
    }
    while (::flock(fd_, LOCK_EX) < 0) {
        if (errno != EINTR) {
            int saved = errno;
            ::close(fd_);
            throw system_error("locking " + path.string(), saved);
        }
    }
}

StoreLock::~StoreLock() {
    ::close(fd_);
}

std::string utc_timestamp() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

bool is_image_path(const std::string& reference) {
    return reference.find('/') != std::string::npos || reference.starts_with('.');
}

ResolvedImage resolve_image(const std::string& reference, const std::filesystem::path& base_dir,
                            const std::filesystem::path& store) {
    if (is_image_path(reference)) {
        return resolve_path(reference, base_dir);
    }
    return resolve_stored(reference, store);
}

} // namespace holos
