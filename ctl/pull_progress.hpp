// How holosctl and the image unit show a download: on a terminal a bar redrawn in place, in
// a pipe or the journal a plain line at every tenth of the file (or every 30 s while its
// size is unknown), so a log is not flooded.
#pragma once

#include "http_download.hpp"
#include "image_pull.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace holos::ctl {

class PullProgress {
public:
    // Writes to stderr; `label` ("debian:13") starts every line.
    PullProgress(std::string label, bool terminal);

    void update(const TransferProgress& progress);
    // Ends the bar's line on a terminal; call before printing anything else.
    void finish();

    // Events for pull_image that print notes and progress through this object.
    PullEvents events();

private:
    void draw_bar(const TransferProgress& progress);
    void print_line(const TransferProgress& progress);

    std::string label_;
    bool terminal_;
    bool bar_shown_ = false;
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point last_output_;
    std::uint64_t first_bytes_ = UINT64_MAX; // where this run started, for the speed
    int last_tenth_ = -1;
};

} // namespace holos::ctl
