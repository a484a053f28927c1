#include "console_follow.hpp"
#include "console_lines.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sys/eventfd.h>
#include <thread>
#include <unistd.h>

namespace holos {
namespace {

using Lines = std::vector<std::string>;
using testing_support::TempDir;

TEST(ConsoleLines, SplitsOnNewlinesAndDropsCarriageReturns) {
    ConsoleLines lines;
    EXPECT_EQ(lines.feed("first\r\nsecond\r\n"), (Lines{"first", "second"}));
}

TEST(ConsoleLines, KeepsALineSplitAcrossFeeds) {
    ConsoleLines lines;
    EXPECT_EQ(lines.feed("Started ssh"), Lines{});
    EXPECT_EQ(lines.feed(".service\n"), Lines{"Started ssh.service"});
}

TEST(ConsoleLines, DropsColourEscapesEvenWhenSplit) {
    ConsoleLines lines;
    EXPECT_EQ(lines.feed("[\x1b[0;32m  OK  \x1b["), Lines{});
    EXPECT_EQ(lines.feed("0m] Reached target\n"), Lines{"[  OK  ] Reached target"});
}

TEST(ConsoleLines, DropsTitleStringsAndOtherControlCharacters) {
    ConsoleLines lines;
    EXPECT_EQ(lines.feed("\x1b]0;web-0\x07login:\x08 \x1b]2;x\x1b\\ok\tdone\n"),
              Lines{"login: ok\tdone"});
}

TEST(ConsoleLines, CutsALineThatNeverEnds) {
    ConsoleLines lines;
    Lines done = lines.feed(std::string(kMaxConsoleLineBytes + 10, 'x'));
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].size(), kMaxConsoleLineBytes);
    EXPECT_EQ(lines.take_partial(), std::string(10, 'x'));
}

TEST(ConsoleLines, GivesTheUnfinishedLineOnlyWhenItHasText) {
    ConsoleLines lines;
    lines.feed("web-0 login: ");
    EXPECT_EQ(lines.take_partial(), "web-0 login: ");
    lines.feed("  ");
    EXPECT_EQ(lines.take_partial(), "");
}

void append(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::app) << text;
}

// Stops the follower once `expected` lines arrived, or after a few seconds.
Lines follow_until(const std::filesystem::path& path, size_t expected,
                   const std::function<void()>& while_following) {
    int stop = eventfd(0, EFD_CLOEXEC);
    Lines seen;
    std::atomic<bool> complete = false;
    std::thread writer([&] {
        while_following();
        for (int i = 0; i < 100 && !complete; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        eventfd_write(stop, 1);
    });
    follow_console_log(path, stop, [&](const std::string& line) {
        seen.push_back(line);
        complete = seen.size() == expected;
    });
    writer.join();
    close(stop);
    return seen;
}

TEST(ConsoleFollow, StartsAtTheEndOfAnExistingLog) {
    TempDir dir;
    std::filesystem::path log = dir.path() / "console.log";
    append(log, "an earlier boot\n");
    Lines seen = follow_until(log, 1, [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        append(log, "this boot\n");
    });
    EXPECT_EQ(seen, Lines{"this boot"});
}

TEST(ConsoleFollow, WaitsForALogThatDoesNotExistYet) {
    TempDir dir;
    std::filesystem::path log = dir.path() / "console.log";
    Lines seen = follow_until(log, 2, [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        append(log, "one\ntwo\n");
    });
    EXPECT_EQ(seen, (Lines{"one", "two"}));
}

TEST(ConsoleFollow, ReadsAReplacedLogFromItsStart) {
    TempDir dir;
    std::filesystem::path log = dir.path() / "console.log";
    append(log, "old\n");
    Lines seen = follow_until(log, 2, [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        append(log, "last old line\n");
        std::filesystem::remove(log);
        append(log, "new file\n");
    });
    EXPECT_EQ(seen, (Lines{"last old line", "new file"}));
}

TEST(ConsoleFollow, HandsOverTheUnfinishedLineWhenStopped) {
    TempDir dir;
    std::filesystem::path log = dir.path() / "console.log";
    append(log, "");
    Lines seen = follow_until(log, 99, [&] { append(log, "web-0 login: "); });
    EXPECT_EQ(seen, Lines{"web-0 login: "});
}

} // namespace
} // namespace holos
