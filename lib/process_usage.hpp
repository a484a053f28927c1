// What the kernel says about a running process: when it started, the CPU time it used and the
// memory it holds, all from one read of /proc/PID/stat. holosctl ps reads that file itself
// rather than asking the service manager for the unit's figures, which costs a bus round trip
// per figure and unit; for an instance the process is QEMU, so the figures are the VM's own.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <sys/types.h>

namespace holos {

struct ProcessUsage {
    std::uint64_t started_boottime_usec = 0; // CLOCK_BOOTTIME when the process started
    std::uint64_t cpu_usage_ns = 0;          // user and system time of all its threads
    std::uint64_t resident_bytes = 0;        // its resident set
};

// The usage of process `pid`, or nothing when it has gone (or /proc hides it).
std::optional<ProcessUsage> process_usage(pid_t pid);

// The fields of /proc/PID/stat that ProcessUsage uses, in the kernel's units.
struct ProcStat {
    std::uint64_t start_ticks = 0; // clock ticks after boot
    std::uint64_t cpu_ticks = 0;   // user + system time
    std::uint64_t rss_pages = 0;
};

// Parses /proc/PID/stat; the command name in it may hold spaces and parentheses.
std::optional<ProcStat> parse_proc_stat(std::string_view text);

} // namespace holos
