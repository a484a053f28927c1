// Signals that ask an interactive loop to end (SIGHUP, SIGINT, SIGQUIT, SIGTERM), turned into
// a readable descriptor, so the loop can put the terminal back before the process ends.
#pragma once

#include "unique_fd.hpp"

#include <signal.h>

namespace holos {

class StopSignals {
public:
    // Blocks the signals and opens a signalfd for them. Throws Error.
    StopSignals();
    // Discards the signals received meanwhile and unblocks them: they have been handled.
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Readable once one of the signals has arrived.
    int fd() const { return fd_.get(); }

private:
    sigset_t previous_{};
    UniqueFd fd_;
};

} // namespace holos
