// A client of the service manager (org.freedesktop.systemd1) over sd-bus. As root it talks
// to the manager's private socket, as systemctl does, so it works before and without a
// D-Bus broker.
#pragma once

#include "paths.hpp"
#include "unit_status.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct sd_bus;

namespace holos {

struct UnitState {
    std::string name;
    std::string load_state;   // loaded, not-found, ...
    std::string active_state; // active, inactive, failed, activating, ...
    std::string sub_state;    // running, dead, exited, ...
    std::string result;       // services: success, exit-code, signal, ...
    std::uint32_t main_pid = 0;
    std::uint32_t job_id = 0; // a queued or running job; 0 when none (list_units only)
};

// Told how a start job is getting on while start_unit() waits for it.
struct JobWatcher {
    // A job of the same transaction (the unit itself or one it pulled in) has ended.
    std::function<void(const std::string& unit, const std::string& result)> job_removed;
    // About once a second.
    std::function<void()> tick;
};

class SystemdManager {
public:
    // Connects to the system manager or the calling user's manager. Throws Error.
    explicit SystemdManager(Scope scope);
    ~SystemdManager();
    SystemdManager(const SystemdManager&) = delete;
    SystemdManager& operator=(const SystemdManager&) = delete;

    // Re-runs the generators and reloads all unit files; returns when the manager is done.
    void reload();

    // Queue a start or stop job (mode "replace") and wait until it is finished. Returns the
    // job's result: "done", "failed", "canceled", "timeout", "dependency" or "skipped".
    std::string start_unit(const std::string& unit, const JobWatcher* watcher = nullptr);
    std::string stop_unit(const std::string& unit);

    // Queues a stop job (mode "replace") for every unit before waiting for any, then waits
    // for all. Returns, in the order given, each job's result as above or the manager's
    // reason for queueing none (an unknown unit). A stop of a unit that is not loaded makes
    // the manager load its file first, so callers pass only the units that run.
    std::vector<std::string> stop_units(const std::vector<std::string>& units);

    // Forgets a failed unit's state so it disappears once its file is gone; ignores errors.
    void reset_failed(const std::string& unit);

    UnitState unit_state(const std::string& unit);

    // Units currently loaded whose names match any of the shell-style patterns.
    std::vector<UnitState> list_units(const std::vector<std::string>& patterns);

    // The status of each unit, in the order given. Every request (a Get per property and
    // unit) is sent before the first reply is awaited, so the time hardly grows with the
    // number of units. A unit whose properties cannot be read (say, the
    // manager does not know it) keeps its name and empty fields. Throws Error on a bus failure.
    std::vector<UnitStatus> unit_statuses(const std::vector<std::string>& units);

private:
    void subscribe();
    std::string run_job(const char* method, const char* verb, const std::string& unit,
                        const JobWatcher* watcher = nullptr);

    sd_bus* bus_ = nullptr;
    bool subscribed_ = false;
};

} // namespace holos
