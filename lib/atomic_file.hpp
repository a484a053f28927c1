// Writing files so that nothing is ever half-written: temp file in the same directory,
// fsync (unless the file is rewritten before every use), rename to the target.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace holos {

// Whether a file must survive a host crash once written. A file that holos writes again
// before every use (an instance's seed) skips the fsync: after a crash it is rewritten before
// anything reads it. Its old copy is also removed just before the new one is renamed into
// place, so a reader may find no file for that moment; the rename still keeps it from ever
// seeing half of one.
enum class Durability { survives_crash, rewritten_before_use };

// Writes `content` to `path` atomically with permissions `mode`. Throws Error.
void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                       mode_t mode = 0644, Durability durability = Durability::survives_crash);

// A file written in pieces that appears at `path` complete or not at all: the pieces go to
// a temporary file beside it, and commit() renames it to `path`. Destroyed without a
// commit, it leaves nothing behind. Methods throw Error.
class AtomicFile {
public:
    AtomicFile(const std::filesystem::path& path, mode_t mode,
               Durability durability = Durability::survives_crash);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view content);
    void commit();

private:
    std::filesystem::path path_;
    std::string temp_;
    Durability durability_;
    int fd_ = -1;
};

// Reads a whole file. Throws Error.
std::string read_file(const std::filesystem::path& path);

// Creates `dir` and missing parents; the last component gets `mode`. Throws Error.
void make_directory(const std::filesystem::path& dir, mode_t mode);

} // namespace holos
