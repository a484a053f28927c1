#include "process_usage.hpp"

#include "unique_fd.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace holos {
namespace {

constexpr std::uint64_t kNsecPerSecond = 1000 * 1000 * 1000;
constexpr std::uint64_t kUsecPerSecond = 1000 * 1000;

// The kernel renders /proc/PID/stat whole on the first read; it is some 300 bytes.
std::optional<std::string> read_proc_stat(pid_t pid) {
    std::string path = "/proc/" + std::to_string(pid) + "/stat";
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        return std::nullopt;
    }
    std::array<char, 1024> buffer{};
    ssize_t size = 0;
    do {
        size = ::read(fd.get(), buffer.data(), buffer.size());
    } while (size < 0 && errno == EINTR);
    if (size <= 0) {
        return std::nullopt;
    }
    return std::string(buffer.data(), static_cast<size_t>(size));
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end == text.data()) {
        return std::nullopt;
    }
    return value;
}

// The space-separated field `index` (0-based) of `text`.
std::string_view field(std::string_view text, size_t index) {
    size_t begin = text.find_first_not_of(' ');
    for (; index > 0 && begin != std::string_view::npos; --index) {
        begin = text.find_first_not_of(' ', text.find(' ', begin));
    }
    if (begin == std::string_view::npos) {
        return {};
    }
    return text.substr(begin, text.find_first_of(" \n", begin) - begin);
}

} // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
    // "PID (COMM) STATE ..." with COMM as the program set it; the last ")" ends it.
    size_t comm_end = text.rfind(')');
    if (comm_end == std::string_view::npos) {
        return std::nullopt;
    }
    // proc(5) numbers the fields from 1: utime 14, stime 15, starttime 22, rss 24. Counted
    // from the state (3) as 0, they are 11, 12, 19 and 21.
    std::string_view rest = text.substr(comm_end + 1);
    std::optional<std::uint64_t> utime = parse_number(field(rest, 11));
    std::optional<std::uint64_t> stime = parse_number(field(rest, 12));
    std::optional<std::uint64_t> start = parse_number(field(rest, 19));
    std::optional<std::uint64_t> rss = parse_number(field(rest, 21));
    if (!utime || !stime || !start || !rss) {
        return std::nullopt;
    }
    return ProcStat{*start, *utime + *stime, *rss};
}

std::optional<ProcessUsage> process_usage(pid_t pid) {
    std::optional<std::string> text = read_proc_stat(pid);
    std::optional<ProcStat> stat = text ? parse_proc_stat(*text) : std::nullopt;
    if (!stat) {
        return std::nullopt;
    }
    static const auto ticks_per_second = static_cast<std::uint64_t>(::sysconf(_SC_CLK_TCK));
    static const auto page_bytes = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    return ProcessUsage{stat->start_ticks * kUsecPerSecond / ticks_per_second,
                        stat->cpu_ticks * (kNsecPerSecond / ticks_per_second),
                        stat->rss_pages * page_bytes};
}

} // namespace holos
