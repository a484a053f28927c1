#include "pull_progress.hpp"

#include "instance_status.hpp"

#include <cstdio>
#include <iostream>

namespace holos::ctl {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kBarRedraw = std::chrono::milliseconds(100);
constexpr auto kUnknownSizeLine = std::chrono::seconds(30);
constexpr int kBarWidth = 30;

std::string mebibytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    return text;
}

} // namespace

PullProgress::PullProgress(std::string label, bool terminal)
    : label_(std::move(label)), terminal_(terminal), started_(Clock::now()),
      last_output_(started_) {
}

void PullProgress::update(const TransferProgress& progress) {
    if (first_bytes_ == UINT64_MAX) {
        first_bytes_ = progress.done_bytes;
    }
    if (terminal_) {
        draw_bar(progress);
    } else {
        print_line(progress);
    }
}

void PullProgress::draw_bar(const TransferProgress& progress) {
    Clock::time_point now = Clock::now();
    bool done = progress.total_bytes > 0 && progress.done_bytes >= progress.total_bytes;
    if (bar_shown_ && now - last_output_ < kBarRedraw && !done) {
        return;
    }
    last_output_ = now;
    bar_shown_ = true;
    std::string line = "\r" + label_ + " ";
    if (progress.total_bytes > 0) {
        int filled = static_cast<int>(progress.done_bytes * kBarWidth / progress.total_bytes);
        line += "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "] " +
                std::to_string(progress.done_bytes * 100 / progress.total_bytes) + "%  " +
                mebibytes(progress.done_bytes) + " of " + mebibytes(progress.total_bytes);
    } else {
        line += mebibytes(progress.done_bytes);
    }
    double seconds = std::chrono::duration<double>(now - started_).count();
    if (seconds > 0.5) {
        line += "  " +
                mebibytes(static_cast<std::uint64_t>(
                    static_cast<double>(progress.done_bytes - first_bytes_) / seconds)) +
                "/s";
    }
    std::cerr << line << "\x1b[K" << std::flush; // clears what a longer line left
}

void PullProgress::print_line(const TransferProgress& progress) {
    Clock::time_point now = Clock::now();
    if (progress.total_bytes == 0) {
        if (now - last_output_ >= kUnknownSizeLine) {
            last_output_ = now;
            std::cerr << label_ << ": " << mebibytes(progress.done_bytes) << " so far\n";
        }
        return;
    }
    int tenth = static_cast<int>(progress.done_bytes * 10 / progress.total_bytes);
    if (tenth == last_tenth_) {
        return;
    }
    last_tenth_ = tenth;
    std::cerr << label_ << ": " << mebibytes(progress.done_bytes) << " of "
              << mebibytes(progress.total_bytes) << " (" << tenth * 10 << "%)\n";
}

void PullProgress::finish() {
    if (bar_shown_) {
        std::cerr << "\n";
        bar_shown_ = false;
    }
}

PullEvents PullProgress::events() {
    return {[this](const std::string& note) {
                finish();
                std::cerr << label_ << ": " << note << "\n";
            },
            [this](const TransferProgress& progress) { update(progress); }};
}

} // namespace holos::ctl
