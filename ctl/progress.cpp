#include "progress.hpp"

#include <iostream>
#include <unistd.h>

namespace holos::ctl {
namespace {

// A terminal line costs nothing and disappears; a plain line stays in a log, so it waits
// longer before it is worth printing.
constexpr std::chrono::seconds kQuietWaitTerminal{1};
constexpr std::chrono::seconds kQuietWaitPlain{5};
constexpr const char* kClearLine = "\r\x1b[K";

} // namespace

WaitNotice::WaitNotice(std::string what)
    : what_(std::move(what)), terminal_(isatty(STDERR_FILENO) != 0) {}

WaitNotice::~WaitNotice() {
    if (terminal_ && shown_) {
        std::cerr << kClearLine << std::flush;
    }
}

void WaitNotice::update(const std::string& detail) {
    auto waited = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_);
    if (waited < (terminal_ ? kQuietWaitTerminal : kQuietWaitPlain) || (shown_ && !terminal_)) {
        return;
    }
    if (!terminal_) {
        std::cerr << "holosctl: " << what_ << "\n";
    } else {
        std::cerr << kClearLine << what_ << (detail.empty() ? "" : ": " + detail) << " ("
                  << waited.count() << " s)" << std::flush;
    }
    shown_ = true;
}

} // namespace holos::ctl
