// Who owns an instance's directory. Under the system manager QEMU runs as a dynamic user
// that systemd allocates at each start, so the privileged step before QEMU hands the
// instance's directory and files to that user, and the one after QEMU takes them back to
// root; between runs no dynamic UID, which systemd may give to another unit, owns a disk.
//
// The directory was writable by QEMU, so whatever is in it is treated as hostile: only
// regular files with a single link are handed over, each through a descriptor opened
// without following symbolic links.
#pragma once

#include <filesystem>
#include <sys/types.h>

namespace holos {

struct Owner {
    uid_t uid = 0;
    gid_t gid = 0;
};

// The owner of `path` itself (not of what a link points to). Throws Error.
Owner owner_of(const std::filesystem::path& path);

// Gives `dir` and the regular files directly in it to `owner`. Throws Error.
void set_instance_owner(const std::filesystem::path& dir, Owner owner);

// Gives the regular file `file` (not a link, one link only) to `owner`, with `mode`.
// Throws Error.
void set_file_owner(const std::filesystem::path& file, Owner owner, mode_t mode);

// Throws Error naming the first part of `path` that a user other than its owner cannot
// read (the file) or search (a directory above it): an instance's user must open the image.
void check_readable_by_others(const std::filesystem::path& path);

} // namespace holos
