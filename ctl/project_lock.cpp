#include "project_lock.hpp"

#include "context.hpp"
#include "progress.hpp"

#include "atomic_file.hpp"
#include "error.hpp"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace holos::ctl {
namespace {

constexpr auto kRetryPause = std::chrono::milliseconds(200);

// What the holder wrote: "holosctl up (PID 1234)".
std::string holder_of(int fd) {
    char text[256] = {};
    ssize_t got = ::pread(fd, text, sizeof(text) - 1, 0);
    std::string holder = got > 0 ? std::string(text, static_cast<size_t>(got)) : "";
    holder.erase(holder.find_last_not_of('\n') + 1);
    return holder.empty() ? "another holosctl" : holder;
}

void record_holder(int fd, const std::string& verb) {
    std::string text = "holosctl " + verb + " (PID " + std::to_string(::getpid()) + ")\n";
    if (::ftruncate(fd, 0) == 0) {
        ssize_t ignored = ::pwrite(fd, text.data(), text.size(), 0);
        (void)ignored; // the name of the holder only makes a waiter's message better
    }
}

} // namespace

ProjectLock::ProjectLock(const Paths& paths, const std::string& project, const std::string& verb,
                         std::chrono::seconds wait) {
    std::filesystem::path dir = paths.runtime_dir / "locks";
    std::filesystem::path file = dir / (project + ".lock");
    try {
        make_directory(paths.runtime_dir, 0755);
        make_directory(dir, 0700);
    } catch (const Error& e) {
        throw Failure(e.what());
    }
    fd_.reset(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!fd_) {
        throw Failure("opening " + file.string() + ": " + std::strerror(errno));
    }
    auto deadline = std::chrono::steady_clock::now() + wait;
    std::optional<WaitNotice> notice;
    while (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            throw Failure("locking " + file.string() + ": " + std::strerror(errno));
        }
        std::string holder = holder_of(fd_.get());
        if (std::chrono::steady_clock::now() >= deadline) {
            throw Failure("project " + project + " is busy: " + holder +
                          " is changing it; try again when it is done (--lock-timeout "
                          "SECONDS waits longer)");
        }
        if (!notice) {
            notice.emplace("waiting for " + holder + " to finish with project " + project);
        }
        notice->update();
        std::this_thread::sleep_for(kRetryPause);
    }
    record_holder(fd_.get(), verb);
}

void add_lock_option(CLI::App& command, int& seconds) {
    command.add_option("--lock-timeout", seconds,
                       "seconds to wait while another holosctl changes the project (0: fail)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
}

} // namespace holos::ctl
