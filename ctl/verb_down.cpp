// holosctl down: stop a project's instances (gracefully, through their units), remove its
// registration so its units disappear, and remove the instances' overlays and seeds. The
// project's SSH key and the image store are kept.

#include "verbs.hpp"

#include "lifecycle.hpp"
#include "target.hpp"

#include "error.hpp"
#include "generate.hpp"
#include "instance_prep.hpp"
#include "registry.hpp"
#include "systemd_manager.hpp"
#include "unit_graph.hpp"
#include "unit_names.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <set>

namespace holos::ctl {
namespace {

std::vector<std::string> units_of(const Paths& paths, const std::string& name) {
    std::vector<std::string> units = {project_target(name), keys_unit(name)};
    LoadResult load = load_registered_project(paths, name);
    if (!load.loaded) {
        for (const std::string& error : load.errors) {
            std::cerr << "holosctl: warning: " << error << "\n";
        }
        return units;
    }
    for (const InstanceUnit& instance : instance_units(load.loaded->project)) {
        units.push_back(instance.unit);
    }
    return units;
}

// Running instance units named like this project's but defined by no registered project:
// left behind when an earlier file still had them. They are this project's to stop.
std::vector<std::string> orphaned_units(const Paths& paths, const std::string& name,
                                        SystemdManager& manager) {
    std::set<std::string> defined_elsewhere;
    for (const std::string& other : registered_projects(paths)) {
        LoadResult load = load_registered_project(paths, other);
        if (other != name && load.loaded) {
            std::vector<std::string> units = project_unit_names(load.loaded->project);
            defined_elsewhere.insert(units.begin(), units.end());
        }
    }
    std::vector<std::string> orphans;
    for (const UnitState& unit : manager.list_units({"holos-" + name + "-*@*.service"})) {
        std::string template_name = unit.name.substr(0, unit.name.find('@')) + "@.service";
        if (!defined_elsewhere.contains(template_name)) {
            orphans.push_back(unit.name);
        }
    }
    return orphans;
}

void stop_all(SystemdManager& manager, const std::vector<std::string>& units) {
    // Stopping the target stops every instance (PartOf=) in one transaction; instances
    // started on their own are stopped one by one after it.
    for (const std::string& unit : units) {
        std::string result = manager.stop_unit(unit);
        if (result != "done") {
            std::cerr << "holosctl: warning: stopping " << unit << ": " << result << "\n";
        }
    }
}

// A one-off VM's compose file and key were made for it alone, so they go with it.
void remove_run_files(const Paths& paths, const Registration& registration) {
    std::filesystem::path run_dir = paths.run_project_dir(registration.project);
    if (registration.source_file.parent_path() != run_dir) {
        return;
    }
    std::error_code ec;
    std::filesystem::remove_all(run_dir, ec);
    std::filesystem::remove_all(paths.project_state(registration.project), ec);
    if (ec) {
        std::cerr << "holosctl: warning: removing " << run_dir.string() << ": " << ec.message()
                  << "\n";
    }
}

} // namespace

int take_down(const ProjectChoice& choice, const GlobalOptions& global, int lock_timeout_s) {
    Paths paths = paths_for(global.scope());
    if (choice.file.empty() && choice.project.empty()) {
        compose_path(""); // down removes disks: never guess the project, unlike other verbs
    }
    std::string name = chosen_project_name(choice, paths);
    ProjectLock lock(paths, name, "down", std::chrono::seconds(lock_timeout_s));
    std::vector<std::string> registered = registered_projects(paths);
    if (std::find(registered.begin(), registered.end(), name) == registered.end()) {
        // Registrations live under /run: after a reboot the disks are all that is left.
        std::error_code ec;
        if (std::filesystem::exists(paths.instances_state(name), ec)) {
            remove_instance_state(paths, name);
            std::cout << "project " << name << " is not registered; removed its instance disks\n";
        } else {
            std::cout << "project " << name << " is not registered; nothing to do\n";
        }
        return kExitOk;
    }
    SystemdManager manager(global.scope());
    std::vector<std::string> units = units_of(paths, name);
    for (const std::string& orphan : orphaned_units(paths, name, manager)) {
        if (std::find(units.begin(), units.end(), orphan) == units.end()) {
            units.push_back(orphan);
        }
    }
    stop_all(manager, units);

    std::optional<Registration> registration;
    try {
        registration = read_registration(paths, name);
    } catch (const Error&) {
        // Unreadable: it still goes, only a one-off VM's files cannot be told apart.
    }
    remove_registration(paths, name);
    manager.reload();
    for (const std::string& unit : units) {
        manager.reset_failed(unit);
    }
    remove_instance_state(paths, name);
    if (registration) {
        remove_run_files(paths, *registration);
    }
    std::cout << "project " << name << " stopped and removed\n";
    return kExitOk;
}

VerbRun setup_down(CLI::App& command, const GlobalOptions& global) {
    auto choice = std::make_shared<ProjectChoice>();
    auto lock_timeout_s = std::make_shared<int>(kDefaultLockWaitS);
    add_project_options(command, *choice);
    add_lock_option(command, *lock_timeout_s);
    return [choice, lock_timeout_s, &global] {
        return take_down(*choice, global, *lock_timeout_s);
    };
}

} // namespace holos::ctl
