// What qemu-img says about a disk image file: its format, size and backing file. The store
// uses it to refuse a file that is not what it claims to be before the file gets in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace holos {

struct ImageInfo {
    std::string format; // "qcow2", "raw", ...
    std::uint64_t virtual_size = 0;
    std::string backing_file; // empty: none
};

// Runs `qemu-img info` on `path`, read as `format`, or probed when `format` is empty.
// Throws Error with qemu-img's message when it cannot read the file as such.
ImageInfo inspect_image(const std::string& qemu_img, const std::filesystem::path& path,
                        const std::string& format);

// Checks that `path` is a base image the store can hold: qcow2 or raw (`format`, or probed
// when empty), with no backing file (which would make the image depend on, or read, a file
// outside the store). Returns what qemu-img found. Throws Error saying what is wrong.
ImageInfo check_base_image(const std::string& qemu_img, const std::filesystem::path& path,
                           const std::string& format);

} // namespace holos
