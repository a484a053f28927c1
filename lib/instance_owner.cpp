#include "instance_owner.hpp"

#include "error.hpp"
#include "unique_fd.hpp"

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace holos {
namespace {

void chown_fd(int fd, Owner owner, const std::string& what) {
    if (::fchown(fd, owner.uid, owner.gid) < 0) {
        throw system_error("handing " + what + " to uid " + std::to_string(owner.uid), errno);
    }
}

// A regular file with one link gets the new owner; anything else (a link QEMU's user might
// have planted, a directory, a device) is left alone.
void chown_entry(int dir_fd, const char* name, Owner owner, const std::string& what) {
    UniqueFd fd(::openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
        return;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1) {
        chown_fd(fd.get(), owner, what);
    }
}

} // namespace

Owner owner_of(const std::filesystem::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) < 0) {
        throw system_error("reading the owner of " + path.string(), errno);
    }
    return {st.st_uid, st.st_gid};
}

void set_instance_owner(const std::filesystem::path& dir, Owner owner) {
    UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir_fd) {
        throw system_error("opening " + dir.string(), errno);
    }
    chown_fd(dir_fd.get(), owner, dir.string());
    DIR* listing = ::fdopendir(::dup(dir_fd.get()));
    if (listing == nullptr) {
        throw system_error("listing " + dir.string(), errno);
    }
    while (const dirent* entry = ::readdir(listing)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..") {
            chown_entry(dir_fd.get(), entry->d_name, owner, (dir / name).string());
        }
    }
    ::closedir(listing);
}

void set_file_owner(const std::filesystem::path& file, Owner owner, mode_t mode) {
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) < 0) {
        throw system_error("opening " + file.string(), errno);
    }
    if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
        throw Error(file.string() + " is not a regular file with a single link");
    }
    chown_fd(fd.get(), owner, file.string());
    if (::fchmod(fd.get(), mode) < 0) {
        throw system_error("setting the mode of " + file.string(), errno);
    }
}

void check_readable_by_others(const std::filesystem::path& path) {
    std::filesystem::path absolute = std::filesystem::absolute(path);
    struct stat st {};
    if (::stat(absolute.c_str(), &st) == 0 && (st.st_mode & S_IROTH) == 0) {
        throw Error(absolute.string() + " is not readable by other users");
    }
    for (std::filesystem::path dir = absolute.parent_path(); !dir.empty();
         dir = dir.parent_path()) {
        if (::stat(dir.c_str(), &st) == 0 && (st.st_mode & S_IXOTH) == 0) {
            throw Error(dir.string() + " is not searchable by other users");
        }
        if (dir == dir.root_path()) {
            break;
        }
    }
}

} // namespace holos
