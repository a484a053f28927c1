#include "console_follow.hpp"

#include "console_lines.hpp"
#include "error.hpp"
#include "unique_fd.hpp"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace holos {
namespace {

constexpr size_t kReadBytes = 64 * 1024;

// The open log and how far it has been read.
struct LogCursor {
    UniqueFd fd;
    ino_t inode = 0;
    off_t offset = 0;
};

// Opens the log if it exists now; the first opening may skip what is already there.
void reopen(const std::filesystem::path& path, LogCursor& cursor, bool from_end) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) < 0) {
        return;
    }
    cursor.inode = st.st_ino;
    cursor.offset = from_end ? st.st_size : 0;
    cursor.fd = std::move(fd);
}

// A log removed (down), replaced or truncated is followed from the start of the new file.
bool needs_reopen(const std::filesystem::path& path, const LogCursor& cursor) {
    struct stat st {};
    if (!cursor.fd) {
        return true;
    }
    if (::stat(path.c_str(), &st) < 0 || st.st_ino != cursor.inode) {
        return ::access(path.c_str(), F_OK) == 0;
    }
    return st.st_size < cursor.offset;
}

void read_new(LogCursor& cursor, ConsoleLines& lines,
              const std::function<void(const std::string&)>& emit) {
    std::string buffer(kReadBytes, '\0');
    while (cursor.fd) {
        ssize_t got = ::pread(cursor.fd.get(), buffer.data(), buffer.size(), cursor.offset);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            throw system_error("reading the console log", errno);
        }
        if (got == 0) {
            return;
        }
        cursor.offset += got;
        for (const std::string& line : lines.feed({buffer.data(), static_cast<size_t>(got)})) {
            emit(line);
        }
    }
}

bool stop_requested(int stop_fd, std::chrono::milliseconds wait) {
    pollfd fd{stop_fd, POLLIN, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(wait.count()));
    if (ready < 0 && errno != EINTR) {
        throw system_error("waiting for console output", errno);
    }
    return ready > 0;
}

} // namespace

void follow_console_log(const std::filesystem::path& path, int stop_fd,
                        const std::function<void(const std::string&)>& emit) {
    LogCursor cursor;
    ConsoleLines lines;
    reopen(path, cursor, true);
    bool stopping = false;
    while (!stopping) {
        stopping = stop_requested(stop_fd, kConsoleFollowInterval);
        if (needs_reopen(path, cursor)) {
            read_new(cursor, lines, emit); // the end of the old file first
            reopen(path, cursor, false);
        }
        read_new(cursor, lines, emit);
    }
    if (std::string partial = lines.take_partial(); !partial.empty()) {
        emit(partial);
    }
}

} // namespace holos
