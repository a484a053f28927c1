// One verb at a time changes a project: up, down, start, stop and restart hold the project's
// lock (an flock on /run/holos/locks/NAME.lock) while they work. A second one waits for it,
// saying who holds it, or gives up after its timeout. The kernel drops the lock when its
// holder dies, even by kill -9, so a crash never leaves a project locked.
#pragma once

#include "paths.hpp"

#include "unique_fd.hpp"

#include <chrono>
#include <string>

namespace CLI {
class App;
}

namespace holos::ctl {

inline constexpr int kDefaultLockWaitS = 300;

class ProjectLock {
public:
    // Takes the lock of `project` for `verb`, waiting up to `wait`. Throws Failure naming
    // the holder when the wait ends first.
    ProjectLock(const Paths& paths, const std::string& project, const std::string& verb,
                std::chrono::seconds wait);

private:
    UniqueFd fd_;
};

// Adds --lock-timeout SECONDS to a verb that takes the lock.
void add_lock_option(CLI::App& command, int& seconds);

} // namespace holos::ctl
