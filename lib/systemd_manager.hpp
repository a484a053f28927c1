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

    // The PID of the unit's main process (a service's), or 0 when it has none.
    std::uint32_t main_pid(const std::string& unit);

    // Units currently loaded whose names match any of the shell-style patterns.
    std::vector<UnitState> list_units(const std::vector<std::string>& patterns);

    // The states of the units, in the order given, from one call; the manager loads a unit it
    // does not hold in memory to answer, so a unit without a file reads "not-found". Job ids
    // are set; result and main_pid are not.
    std::vector<UnitState> unit_states(const std::vector<std::string>& units);

    // The status of each unit, in the order given: the states from one call, then the
    // properties status_properties() names for each state, every request sent before the
    // first reply is awaited. A property that cannot be read keeps its empty value. Throws
    // Error on a bus failure.
    std::vector<UnitStatus> unit_statuses(const std::vector<StatusQuery>& queries);

private:
    void subscribe();
    std::string run_job(const char* method, const char* verb, const std::string& unit,
                        const JobWatcher* watcher = nullptr);

    sd_bus* bus_ = nullptr;
    bool subscribed_ = false;
};

} // namespace holos
