// Writing files so that nothing is ever half-written: temp file in the same directory,
// fsync, rename over the target.
#pragma once

#include <filesystem>
#include <string_view>
#include <sys/types.h>

namespace holos {

// Writes `content` to `path` atomically with permissions `mode`. Throws Error.
void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                       mode_t mode = 0644);

// Reads a whole file. Throws Error.
std::string read_file(const std::filesystem::path& path);

// Creates `dir` and missing parents; the last component gets `mode`. Throws Error.
void make_directory(const std::filesystem::path& dir, mode_t mode);

} // namespace holos
