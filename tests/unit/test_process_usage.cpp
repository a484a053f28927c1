#include "process_usage.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <unistd.h>

namespace holos {
namespace {

// A QEMU line as the kernel writes it, with a command name that holds ") (" to mislead.
constexpr const char* kQemuStat =
    "4242 (qemu) (x) S 1 4242 4242 0 -1 4194624 52000 0 11 0 1500 250 0 0 20 0 5 0 987654 "
    "2300000000 131072 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessUsage, ReadsStartCpuAndResidentPagesFromProcStat) {
    std::optional<ProcStat> stat = parse_proc_stat(kQemuStat);
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->start_ticks, 987654u);
    EXPECT_EQ(stat->cpu_ticks, 1750u);
    EXPECT_EQ(stat->rss_pages, 131072u);
}

TEST(ProcessUsage, RejectsATruncatedProcStat) {
    EXPECT_FALSE(parse_proc_stat("4242 (qemu) S 1 4242 4242 0"));
    EXPECT_FALSE(parse_proc_stat("no command name here"));
    EXPECT_FALSE(parse_proc_stat(""));
}

TEST(ProcessUsage, ReadsTheCallingProcess) {
    std::optional<ProcessUsage> usage = process_usage(::getpid());
    ASSERT_TRUE(usage);
    EXPECT_GT(usage->started_boottime_usec, 0u);
    EXPECT_GT(usage->resident_bytes, 0u);
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    EXPECT_LE(usage->started_boottime_usec, static_cast<std::uint64_t>(now.tv_sec) * 1000000 +
                                                static_cast<std::uint64_t>(now.tv_nsec) / 1000);
}

TEST(ProcessUsage, HasNothingForAProcessThatIsGone) {
    // Above the kernel's largest PID (pid_max is at most 2^22).
    EXPECT_FALSE(process_usage(static_cast<pid_t>(1 << 23)));
}

} // namespace
} // namespace holos
