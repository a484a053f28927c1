#include "instance_health.hpp"

#include "health_tracker.hpp"
#include "registry.hpp"
#include "ssh_session.hpp"

#include <fmt/format.h>
#include <systemd/sd-daemon.h>

#include <chrono>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace holos {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr size_t kDetailChars = 200;

struct ProbeResult {
    bool passed = false;
    std::string detail; // why it failed
};

// The first line of a probe's output, short enough for a status text.
std::string first_line(const std::string& text) {
    size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) {
        return {};
    }
    std::string line = text.substr(start, text.find('\n', start) - start);
    return line.size() > kDetailChars ? line.substr(0, kDetailChars) + "..." : line;
}

std::string seconds_text(milliseconds duration) {
    return fmt::format("{:.1f} s", static_cast<double>(duration.count()) / 1000);
}

// One probe: connect, run, judge; everything within the healthcheck's timeout.
ProbeResult probe(const SshTarget& target, const std::string& command, milliseconds timeout) {
    Clock::time_point deadline = Clock::now() + timeout;
    try {
        SshSession session(target, std::chrono::seconds(0));
        auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
        CapturedRun run = session.capture(command, std::max(left, milliseconds(1)));
        if (run.timed_out) {
            return {false, "no answer within the timeout of " + seconds_text(timeout)};
        }
        if (run.exit_status == 0) {
            return {true, {}};
        }
        std::string output = first_line(run.output);
        return {false, "exit status " + std::to_string(run.exit_status) +
                           (output.empty() ? "" : ": " + output)};
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
}

SshTarget target_of(const HealthRun& run, const Paths& paths) {
    std::string instance = run.service + "-" + std::to_string(run.index);
    Registration registration = read_registration(paths, run.project);
    auto port = registration.ssh_ports.find(instance);
    if (port == registration.ssh_ports.end()) {
        throw std::runtime_error("project " + run.project + " has no SSH port for " + instance);
    }
    SshTarget target;
    target.label = run.project + "/" + instance;
    target.port = port->second;
    target.user = run.login;
    target.private_key = paths.ssh_key(run.project);
    target.pinned_host_key = paths.instance_state(run.project, instance) / "ssh_host_key";
    target.attempt_timeout = milliseconds(run.check.timeout_ms);
    return target;
}

void notify(const std::string& message) {
    sd_notify(0, message.c_str());
}

int run_bypassed() {
    std::cout << "health_bypass = yes in holos.conf: reporting healthy without probing"
              << std::endl;
    notify("READY=1\nSTATUS=healthy: probes bypassed (health_bypass in holos.conf)");
    for (;;) {
        ::pause();
    }
}

// Says in the journal what happened: every failure, with how far it counts, and each pass
// that changed the state; passes that change nothing are not worth a line each interval.
void log_probe(const HealthTracker& tracker, const ProbeResult& result, HealthChange change,
               int retries) {
    if (!result.passed) {
        std::cout << "probe failed (" << tracker.counted_failures() << " of " << retries
                  << " counted): " << result.detail << std::endl;
    } else if (change.became_ready) {
        std::cout << "probe passed: ready" << std::endl;
    } else if (change.state_changed) {
        std::cout << "probe passed: healthy again" << std::endl;
    }
}

} // namespace

int run_health(const HealthRun& run) {
    if (run.bypass) {
        return run_bypassed();
    }
    SshTarget target = target_of(run, paths_for(run.scope));
    std::string command = shell_join(run.command);
    milliseconds interval(run.check.interval_ms), timeout(run.check.timeout_ms);
    HealthTracker tracker(run.check);
    Clock::time_point started = Clock::now();
    notify("STATUS=" + tracker.status_text());
    for (;;) {
        Clock::time_point began = Clock::now();
        ProbeResult result = probe(target, command, timeout);
        HealthChange change =
            tracker.record(result.passed, std::chrono::duration_cast<milliseconds>(began - started),
                           result.detail);
        log_probe(tracker, result, change, run.check.retries);
        if (change.became_ready) {
            notify("READY=1\nSTATUS=" + tracker.status_text());
        } else if (change.state_changed) {
            notify("STATUS=" + tracker.status_text());
        }
        if (tracker.gave_up()) {
            std::cout << tracker.status_text() << std::endl;
            return 1;
        }
        std::this_thread::sleep_until(began + interval);
    }
}

} // namespace holos
