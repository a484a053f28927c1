#include "stop_signals.hpp"

#include "error.hpp"

#include <cerrno>
#include <sys/signalfd.h>
#include <unistd.h>

namespace holos {
namespace {

sigset_t stop_set() {
    sigset_t set;
    sigemptyset(&set);
    for (int signal : {SIGHUP, SIGINT, SIGQUIT, SIGTERM}) {
        sigaddset(&set, signal);
    }
    return set;
}

} // namespace

StopSignals::StopSignals() {
    sigset_t set = stop_set();
    if (int error = ::pthread_sigmask(SIG_BLOCK, &set, &previous_); error != 0) {
        throw system_error("blocking signals", error);
    }
    fd_.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd_) {
        int error = errno;
        ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
        throw system_error("creating a signalfd", error);
    }
}

// A signal left pending would be delivered the moment the mask is restored, and its default
// action would end the process before the caller reports how the loop ended.
StopSignals::~StopSignals() {
    signalfd_siginfo info;
    while (::read(fd_.get(), &info, sizeof(info)) == sizeof(info)) {
    }
    ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

} // namespace holos
