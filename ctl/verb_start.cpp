// holosctl start, stop and restart: act on some or all instances of a running project
// through their units, waiting for each job. Services start after the services they depend
// on and stop before them; nothing that was not named is touched.

#include "verbs.hpp"

#include "project_lock.hpp"
#include "target.hpp"

#include "systemd_manager.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

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

// Returns false when the job did not succeed, after saying so with the unit's last state.
bool run_one(SystemdManager& manager, Action action, const InstanceUnit& instance) {
    std::string result = action == Action::stop ? manager.stop_unit(instance.unit)
                                                : manager.start_unit(instance.unit);
    if (result == "done") {
        std::cout << instance.instance << (action == Action::stop ? " stopped" : " started")
                  << "\n";
        return true;
    }
    UnitState state = manager.unit_state(instance.unit);
    std::cerr << "holosctl: " << instance.instance << ": " << result << " ("
              << state.active_state << (state.result.empty() ? "" : ", " + state.result)
              << "); see holosctl logs " << instance.instance << "\n";
    return false;
}

const char* verb_name(Action action) {
    return action == Action::start ? "start" : action == Action::stop ? "stop" : "restart";
}

int run_action(Action action, const StartOptions& options, const GlobalOptions& global) {
    Paths paths = paths_for(global.scope());
    LoadedProject loaded = chosen_project(options.choice, paths);
    ProjectLock lock(paths, loaded.project.name, verb_name(action),
                     std::chrono::seconds(options.lock_timeout_s));
    std::vector<InstanceUnit> instances =
        in_start_order(loaded.project, chosen_instances(loaded, options.targets));
    SystemdManager manager(global.scope());
    bool ok = true;
    if (action != Action::start) {
        std::for_each(instances.rbegin(), instances.rend(), [&](const InstanceUnit& instance) {
            ok = run_one(manager, Action::stop, instance) && ok;
        });
    }
    if (action != Action::stop) {
        for (const InstanceUnit& instance : instances) {
            ok = run_one(manager, Action::start, instance) && ok;
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
