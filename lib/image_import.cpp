#include "image_import.hpp"

#include "digest.hpp"
#include "error.hpp"
#include "image_catalogue.hpp"
#include "image_inspect.hpp"
#include "unique_fd.hpp"

#include <cerrno>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace holos {
namespace {

// A temporary file in the store that is removed unless kept.
class TempFile {
public:
    explicit TempFile(const ImageStore& store) : path_(store.temp_dir() / "import-XXXXXX") {
        std::string pattern = path_.string();
        fd_.reset(::mkstemp(pattern.data()));
        if (!fd_) {
            throw system_error("creating a file in " + store.temp_dir().string(), errno);
        }
        path_ = pattern;
    }
    ~TempFile() {
        if (!kept_) {
            std::error_code ec;
            std::filesystem::remove(path_, ec);
        }
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    int fd() const { return fd_.get(); }
    const std::filesystem::path& path() const { return path_; }
    void keep() { kept_ = true; }

private:
    std::filesystem::path path_;
    UniqueFd fd_;
    bool kept_ = false;
};

// A reflink where the filesystem shares blocks (btrfs, XFS), a byte copy elsewhere.
void copy_into(const std::filesystem::path& source, const TempFile& copy) {
    UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in) {
        throw system_error("reading " + source.string(), errno);
    }
    if (::ioctl(copy.fd(), FICLONE, in.get()) == 0) {
        return;
    }
    for (;;) {
        ssize_t n = ::copy_file_range(in.get(), nullptr, copy.fd(), nullptr, 1 << 30, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw system_error("copying " + source.string() + " to " + copy.path().string(), errno);
        }
        if (n == 0) {
            break;
        }
    }
    if (::fsync(copy.fd()) < 0) {
        throw system_error("flushing " + copy.path().string(), errno);
    }
}

// qemu-img names the copy it read; the user knows the original.
std::string about_original(std::string message, const std::filesystem::path& copy,
                           const std::filesystem::path& original) {
    const std::string copy_name = copy.string();
    for (size_t at = message.find(copy_name); at != std::string::npos;
         at = message.find(copy_name, at + original.string().size())) {
        message.replace(at, copy_name.size(), original.string());
    }
    return message;
}

} // namespace

StoredImage import_image(const ImageStore& store, const ImportRequest& request) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(request.file, ec)) {
        throw Error("importing " + request.file.string() + ": not a regular file");
    }
    TempFile copy(store);
    copy_into(request.file, copy);
    ImageInfo info;
    try {
        info = check_base_image(request.qemu_img, copy.path(), request.format);
    } catch (const Error& e) {
        throw Error("importing " + request.file.string() + ": " +
                    about_original(e.what(), copy.path(), request.file));
    }
    std::string sha256 = digest_file(copy.path(), {DigestAlgorithm::sha256}).front();
    std::uint64_t size = std::filesystem::file_size(copy.path());

    store.add_blob(copy.path(), sha256);
    copy.keep(); // moved into the store, or removed as a duplicate
    std::string origin = request.origin.empty()
                             ? std::filesystem::absolute(request.file).lexically_normal().string()
                             : request.origin;
    StoredImage image{canonical_reference(request.reference),
                      sha256,
                      info.format,
                      size,
                      request.source,
                      origin,
                      "",
                      utc_timestamp()};
    store.write_reference(image);
    return image;
}

} // namespace holos
