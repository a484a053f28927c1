// holosctl logs: the journal of a project's instances (QEMU, the helpers around it, the
// service manager's messages and the guest's serial console) in time order, each line
// prefixed by its instance, as docker compose logs does.

#include "verbs.hpp"

#include "output_style.hpp"
#include "target.hpp"

#include "error.hpp"
#include "parse_sizes.hpp"
#include "stop_signals.hpp"
#include "unit_log.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <poll.h>
#include <unistd.h>

namespace holos::ctl {
namespace {

struct LogsOptions {
    ProjectChoice choice;
    std::vector<std::string> targets;
    bool follow = false;
    std::optional<size_t> tail;
    std::string since;
    bool timestamps = false;
};

// How each unit's lines are introduced: the instance name, padded to the widest, coloured.
struct Prefixes {
    std::map<std::string, std::string> by_unit;
};

std::uint64_t now_usec() {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1000000 +
           static_cast<std::uint64_t>(now.tv_nsec) / 1000;
}

// "10m" (that long ago) or a local time "2026-12-04 10:00[:00]" ("T" also separates).
std::uint64_t since_usec(const std::string& text) {
    std::string problem;
    if (std::optional<std::int64_t> ms = parsing::parse_duration(text, problem)) {
        std::uint64_t ago = static_cast<std::uint64_t>(*ms) * 1000;
        std::uint64_t now = now_usec();
        return ago < now ? now - ago : 0;
    }
    for (const char* format : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
                               "%Y-%m-%dT%H:%M", "%Y-%m-%d"}) {
        std::tm parts{};
        const char* end = strptime(text.c_str(), format, &parts);
        if (end != nullptr && *end == '\0') {
            parts.tm_isdst = -1;
            std::time_t when = std::mktime(&parts);
            return when < 0 ? 0 : static_cast<std::uint64_t>(when) * 1000000;
        }
    }
    throw Failure("--since \"" + text + "\": expected a duration (10m, 1h30m) or a local time "
                  "(2026-12-04 10:00)",
                  kExitUsage);
}

Prefixes make_prefixes(const std::string& project, const std::vector<InstanceUnit>& instances,
                       bool colour) {
    size_t width = 0;
    for (const InstanceUnit& instance : instances) {
        width = std::max(width, instance.instance.size());
    }
    Prefixes prefixes;
    for (size_t i = 0; i < instances.size(); ++i) {
        std::string name = instances[i].instance;
        std::string label = paint(name + std::string(width - name.size(), ' ') + " |",
                                  colour_for_index(i), colour);
        for (const std::string& unit : instance_log_units(project, instances[i])) {
            prefixes.by_unit[unit] = label;
        }
    }
    return prefixes;
}

std::string timestamp(std::uint64_t usec) {
    std::time_t seconds = static_cast<std::time_t>(usec / 1000000);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[64];
    std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &local);
    char zone[8];
    std::strftime(zone, sizeof(zone), "%z", &local);
    char millis[8];
    std::snprintf(millis, sizeof(millis), ".%03u", static_cast<unsigned>(usec / 1000 % 1000));
    return std::string(text) + millis + zone;
}

// Console lines are the guest's own words; everything else says which program spoke.
void print_entry(const LogEntry& entry, const Prefixes& prefixes, bool timestamps) {
    std::string line = prefixes.by_unit.at(entry.unit) + " ";
    if (timestamps) {
        line += timestamp(entry.realtime_usec) + " ";
    }
    if (!entry.console && !entry.identifier.empty()) {
        line += entry.identifier + ": ";
    }
    std::cout << line << entry.message << '\n';
}

void print_available(UnitLog& log, const Prefixes& prefixes, bool timestamps) {
    while (std::optional<LogEntry> entry = log.next()) {
        print_entry(*entry, prefixes, timestamps);
    }
    std::cout << std::flush;
}

// Until a signal (Ctrl-C) ends it; that is the normal way out, so it exits 0.
void follow(UnitLog& log, const Prefixes& prefixes, bool timestamps) {
    StopSignals signals;
    pollfd fds[2] = {{log.wait_fd(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
    while (true) {
        if (::poll(fds, 2, -1) < 0 && errno != EINTR) {
            throw Failure("waiting for the journal: " + std::string(std::strerror(errno)));
        }
        if (fds[1].revents != 0) {
            return;
        }
        if (fds[0].revents != 0) {
            log.changed();
            print_available(log, prefixes, timestamps);
        }
    }
}

int run_logs(const LogsOptions& options, const GlobalOptions& global) {
    std::optional<std::uint64_t> since;
    if (!options.since.empty()) {
        since = since_usec(options.since);
    }
    LoadedProject loaded = chosen_project(options.choice, paths_for(global.scope()));
    std::vector<InstanceUnit> instances = chosen_instances(loaded, options.targets);
    Prefixes prefixes = make_prefixes(loaded.project.name, instances,
                                      colour_enabled(STDOUT_FILENO));
    std::vector<std::string> units;
    for (const auto& [unit, prefix] : prefixes.by_unit) {
        units.push_back(unit);
    }
    UnitLog log(global.scope(), units);
    if (since) {
        log.start_at(*since);
    } else if (options.tail) {
        log.start_at_last(*options.tail);
    }
    print_available(log, prefixes, options.timestamps);
    if (options.follow) {
        follow(log, prefixes, options.timestamps);
    }
    return kExitOk;
}

} // namespace

VerbRun setup_logs(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<LogsOptions>();
    add_project_options(command, options->choice, false);
    command.add_flag("-f,--follow", options->follow, "keep printing new lines until interrupted");
    command.add_option("-n,--tail", options->tail, "only the last N lines")
        ->check(CLI::NonNegativeNumber);
    command.add_option("--since", options->since,
                       "from this long ago (10m) or this local time (2026-12-04 10:00)");
    command.add_flag("-t,--timestamps", options->timestamps, "show when each line was logged");
    command.add_option("targets", options->targets,
                       "services or instances (web, web-0); default: all");
    return [options, &global] { return run_logs(*options, global); };
}

} // namespace holos::ctl
