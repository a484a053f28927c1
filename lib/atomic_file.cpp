#include "atomic_file.hpp"

#include "error.hpp"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace holos {
namespace {

void write_all(int fd, std::string_view content, const std::string& what) {
    while (!content.empty()) {
        ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw system_error("writing " + what, errno);
        }
        content.remove_prefix(static_cast<size_t>(n));
    }
}

} // namespace

AtomicFile::AtomicFile(const std::filesystem::path& path, mode_t mode, Durability durability)
    : path_(path), temp_(path.string() + ".tmpXXXXXX"), durability_(durability) {
    fd_ = ::mkstemp(temp_.data());
    if (fd_ < 0) {
        throw system_error("creating a temporary file for " + path.string(), errno);
    }
    if (::fchmod(fd_, mode) < 0) {
        int saved = errno;
        ::close(fd_);
        ::unlink(temp_.c_str());
        throw system_error("setting the mode of " + temp_, saved);
    }
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) {
        ::close(fd_);
        ::unlink(temp_.c_str());
    }
}

void AtomicFile::write(std::string_view content) {
    write_all(fd_, content, temp_);
}

void AtomicFile::commit() {
    if (durability_ == Durability::survives_crash && ::fsync(fd_) < 0) {
        throw system_error("flushing " + temp_, errno);
    }
    ::close(fd_);
    fd_ = -1;
    // When a rename replaces a file, ext4 (auto_da_alloc) and btrfs start writing the new one
    // out at once, a guard against crashes that a file rewritten before use does not need;
    // removing the old copy first spares it.
    if (durability_ == Durability::rewritten_before_use && ::unlink(path_.c_str()) < 0 &&
        errno != ENOENT) {
        int saved = errno;
        ::unlink(temp_.c_str());
        throw system_error("removing the old " + path_.string(), saved);
    }
    if (::rename(temp_.c_str(), path_.c_str()) < 0) {
        int saved = errno;
        ::unlink(temp_.c_str());
        throw system_error("replacing " + path_.string(), saved);
    }
}

void write_file_atomic(const std::filesystem::path& path, std::string_view content, mode_t mode,
                       Durability durability) {
    AtomicFile file(path, mode, durability);
    file.write(content);
    file.commit();
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw system_error("reading " + path.string(), errno);
    }
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void make_directory(const std::filesystem::path& dir, mode_t mode) {
    std::error_code ec;
    std::filesystem::create_directories(dir.parent_path(), ec);
    if (ec) {
        throw Error("creating " + dir.parent_path().string() + ": " + ec.message());
    }
    if (::mkdir(dir.c_str(), mode) < 0 && errno != EEXIST) {
        throw system_error("creating " + dir.string(), errno);
    }
}

} // namespace holos
