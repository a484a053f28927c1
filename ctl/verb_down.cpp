// holosctl down: stop a project's instances (gracefully, through their units), remove its
// registration so its units disappear, and remove the instances' overlays and seeds. The
// project's SSH key and the image store are kept.

#include "verbs.hpp"

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

int run_down(const ProjectChoice& choice, const GlobalOptions& global) {
    Paths paths = paths_for(global.scope());
    if (choice.file.empty() && choice.project.empty()) {
        compose_path(""); // down removes disks: never guess the project, unlike other verbs
    }
    std::string name = chosen_project_name(choice, paths);
    std::vector<std::string> registered = registered_projects(paths);
    if (std::find(registered.begin(), registered.end(), name) == registered.end()) {
        // A reboot forgets registrations made by up, not disks: they are all that is left.
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
    bool installed = std::filesystem::is_directory(paths.projects_dir(Lifetime::installed) / name);
    std::vector<std::string> units = units_of(paths, name);
    for (const std::string& orphan : orphaned_units(paths, name, manager)) {
        if (std::find(units.begin(), units.end(), orphan) == units.end()) {
            units.push_back(orphan);
        }
    }
    stop_all(manager, units);

    remove_registration(paths, name);
    manager.reload();
    for (const std::string& unit : units) {
        manager.reset_failed(unit);
    }
    remove_instance_state(paths, name);
    std::cout << "project " << name << (installed ? " stopped, uninstalled and removed\n"
                                                  : " stopped and removed\n");
    return kExitOk;
}

} // namespace

VerbRun setup_down(CLI::App& command, const GlobalOptions& global) {
    auto choice = std::make_shared<ProjectChoice>();
    add_project_options(command, *choice);
    return [choice, &global] { return run_down(*choice, global); };
}

} // namespace holos::ctl
