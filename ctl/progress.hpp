// Saying what holosctl waits for, on stderr. On a terminal it is one line, rewritten in place
// with the seconds waited and cleared when the wait ends; elsewhere (a pipe, a log) it is
// printed once, so scripted runs stay short. Short waits (1 s on a terminal, 5 s otherwise)
// show nothing.
#pragma once

#include <chrono>
#include <string>

namespace holos::ctl {

class WaitNotice {
public:
    // `what`: "waiting for hello/web-0's SSH server".
    explicit WaitNotice(std::string what);
    ~WaitNotice();
    WaitNotice(const WaitNotice&) = delete;
    WaitNotice& operator=(const WaitNotice&) = delete;

    // Shows the notice, with `detail` ("2 of 4 started") after it on a terminal.
    void update(const std::string& detail = "");

private:
    using Clock = std::chrono::steady_clock;

    std::string what_;
    Clock::time_point started_ = Clock::now();
    bool terminal_;
    bool shown_ = false;
};

} // namespace holos::ctl
