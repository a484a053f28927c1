// holosctl start, stop and restart: act on some or all instances of a running project
// through their units, waiting for each job. Nothing outside the dependency graph of what
// was named is touched:
//
//   start    first starts what the named services need (depends_on, transitively) and is
//            not running yet, saying so, then the named instances;
//   stop     first stops the running instances that depend on the named ones (systemd would
//            stop them anyway, through Requires=), saying so, in reverse start order;
//   restart  stops as stop does, then starts the named instances and those dependents again.

#include "verbs.hpp"

#include "project_lock.hpp"
#include "target.hpp"

#include "service_graph.hpp"
#include "systemd_manager.hpp"
#include "unit_names.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <set>

namespace holos::ctl {
namespace {

enum class Action { start, stop, restart };

struct StartOptions {
    ProjectChoice choice;
    std::vector<std::string> targets;
    int lock_timeout_s = kDefaultLockWaitS;
};

std::vector<InstanceUnit> in_start_order(const Project& project,
                                         const std::vector<InstanceUnit>& instances) {
    std::vector<InstanceUnit> ordered;
    for (const Service* service : services_in_start_order(project)) {
        for (const InstanceUnit& instance : instances) {
            if (instance.service == service) {
                ordered.push_back(instance);
            }
        }
    }
    return ordered;
}

std::set<std::string> service_names(const std::vector<InstanceUnit>& instances) {
    std::set<std::string> names;
    for (const InstanceUnit& instance : instances) {
        names.insert(instance.service->name);
    }
    return names;
}

std::string joined(const std::set<std::string>& words) {
    std::string out;
    for (const std::string& word : words) {
        out += (out.empty() ? "" : ", ") + word;
    }
    return out;
}

std::string instance_list(const std::vector<InstanceUnit>& instances) {
    std::string out;
    for (const InstanceUnit& instance : instances) {
        out += (out.empty() ? "" : ", ") + instance.instance;
    }
    return out;
}

bool is_running(SystemdManager& manager, const std::string& unit) {
    std::string state = manager.unit_state(unit).active_state;
    return state == "active" || state == "activating" || state == "reloading";
}

// The instances of `services` for which `keep` holds, in start order.
template <typename Keep>
std::vector<InstanceUnit> instances_of(const Project& project,
                                       const std::vector<const Service*>& services, Keep keep) {
    std::vector<InstanceUnit> out;
    for (const Service* service : services) {
        for (const InstanceUnit& instance : instance_units(project)) {
            if (instance.service->name == service->name && keep(instance)) {
                out.push_back(instance);
            }
        }
    }
    return out;
}

// Returns false when the job did not succeed, after saying so with the unit's last state.
bool run_job(SystemdManager& manager, Action action, const std::string& unit,
             const std::string& label, const std::string& done) {
    std::string result =
        action == Action::stop ? manager.stop_unit(unit) : manager.start_unit(unit);
    if (result == "done") {
        std::cout << label << " " << done << "\n";
        return true;
    }
    UnitState state = manager.unit_state(unit);
    std::cerr << "holosctl: " << label << ": " << result << " (" << state.active_state
              << (state.result.empty() ? "" : ", " + state.result) << "); see journalctl -u "
              << unit << "\n";
    return false;
}

bool stop_one(SystemdManager& manager, const InstanceUnit& instance) {
    return run_job(manager, Action::stop, instance.unit, instance.instance, "stopped");
}

bool start_one(SystemdManager& manager, const Project& project, const InstanceUnit& instance,
               const std::string& note) {
    bool ok = run_job(manager, Action::start, instance.unit, instance.instance, "started" + note);
    if (ok && has_health_probe(*instance.service) && !note.empty()) {
        // A dependency is ready only once its healthcheck passes; the job ends just then.
        ok = run_job(manager, Action::start,
                     health_unit(project.name, instance.service->name, instance.index),
                     instance.instance, "healthy");
    }
    return ok;
}

// What the named instances need and what is not running yet, in start order.
std::vector<InstanceUnit> missing_dependencies(const Project& project,
                                               const std::vector<InstanceUnit>& chosen,
                                               SystemdManager& manager) {
    return instances_of(project, needed_services(project, service_names(chosen)),
                        [&](const InstanceUnit& i) { return !is_running(manager, i.unit); });
}

// The running instances that depend on the named ones, in start order.
std::vector<InstanceUnit> running_dependents(const Project& project,
                                             const std::vector<InstanceUnit>& chosen,
                                             SystemdManager& manager) {
    return instances_of(project, dependent_services(project, service_names(chosen)),
                        [&](const InstanceUnit& i) { return is_running(manager, i.unit); });
}

const char* verb_name(Action action) {
    return action == Action::start ? "start" : action == Action::stop ? "stop" : "restart";
}

int run_action(Action action, const StartOptions& options, const GlobalOptions& global) {
    Paths paths = paths_for(global.scope());
    LoadedProject loaded = chosen_project(options.choice, paths);
    ProjectLock lock(paths, loaded.project.name, verb_name(action),
                     std::chrono::seconds(options.lock_timeout_s));
    const Project& project = loaded.project;
    std::vector<InstanceUnit> chosen =
        in_start_order(project, chosen_instances(loaded, options.targets));
    SystemdManager manager(global.scope());
    bool ok = true;
    std::vector<InstanceUnit> dependents;
    if (action != Action::start) {
        dependents = running_dependents(project, chosen, manager);
        if (!dependents.empty()) {
            bool stop = action == Action::stop;
            std::cout << (stop ? "stopping " : "restarting ") << joined(service_names(chosen))
                      << (stop ? " also stops " : " also restarts ")
                      << instance_list(dependents)
                      << (dependents.size() == 1 ? ", which depends on it\n"
                                                 : ", which depend on it\n");
        }
        std::vector<InstanceUnit> all = dependents;
        all.insert(all.begin(), chosen.begin(), chosen.end());
        all = in_start_order(project, all);
        std::for_each(all.rbegin(), all.rend(),
                      [&](const InstanceUnit& i) { ok = stop_one(manager, i) && ok; });
    }
    if (action != Action::stop) {
        std::string by = " (needed by " + joined(service_names(chosen)) + ")";
        for (const InstanceUnit& instance : missing_dependencies(project, chosen, manager)) {
            ok = start_one(manager, project, instance, by) && ok;
        }
        std::vector<InstanceUnit> all = chosen;
        all.insert(all.end(), dependents.begin(), dependents.end());
        for (const InstanceUnit& instance : in_start_order(project, all)) {
            ok = start_one(manager, project, instance, "") && ok;
        }
    }
    return ok ? kExitOk : kExitFailure;
}

VerbRun setup_action(Action action, CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<StartOptions>();
    add_project_options(command, options->choice);
    command.add_option("targets", options->targets,
                       "services or instances (web, web-0); default: all");
    add_lock_option(command, options->lock_timeout_s);
    return [action, options, &global] { return run_action(action, *options, global); };
}

} // namespace

VerbRun setup_start(CLI::App& command, const GlobalOptions& global) {
    return setup_action(Action::start, command, global);
}

VerbRun setup_stop(CLI::App& command, const GlobalOptions& global) {
    return setup_action(Action::stop, command, global);
}

VerbRun setup_restart(CLI::App& command, const GlobalOptions& global) {
    return setup_action(Action::restart, command, global);
}

} // namespace holos::ctl
