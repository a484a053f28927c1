#include "terminal.hpp"

#include "error.hpp"

#include <cerrno>
#include <unistd.h>

namespace holos {
namespace {

// TCSADRAIN lets output already written reach the terminal under the settings it was written
// for. Waiting for that can be interrupted by a signal, hence the retry.
int set_attributes(int fd, const termios& settings) {
    int status;
    do {
        status = ::tcsetattr(fd, TCSADRAIN, &settings);
    } while (status < 0 && errno == EINTR);
    return status;
}

} // namespace

bool is_terminal(int fd) {
    return ::isatty(fd) == 1;
}

RawTerminal::RawTerminal(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) < 0) {
        throw system_error("reading the terminal settings", errno);
    }
    termios raw = saved_;
    ::cfmakeraw(&raw);
    if (set_attributes(fd_, raw) < 0) {
        throw system_error("switching the terminal to raw mode", errno);
    }
    active_ = true;
}

RawTerminal::~RawTerminal() {
    if (active_) {
        // A destructor cannot report; restore() is there for callers that want to know.
        set_attributes(fd_, saved_);
    }
}

void RawTerminal::restore() {
    if (!active_) {
        return;
    }
    active_ = false;
    if (set_attributes(fd_, saved_) < 0) {
        throw system_error("restoring the terminal settings", errno);
    }
}

} // namespace holos
