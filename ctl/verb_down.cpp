// holosctl down: stop a project's instances (gracefully, through their units), remove its
// registration so its units disappear, and remove the instances' overlays and seeds. The
// project's SSH key, its named volumes and the image store are kept; --volumes removes the
// volumes too, after asking on a terminal or with --yes.

#include "verbs.hpp"

#include "lifecycle.hpp"
#include "target.hpp"

#include "error.hpp"
#include "generate.hpp"
#include "instance_prep.hpp"
#include "registry.hpp"
#include "systemd_manager.hpp"
#include "terminal.hpp"
#include "unit_graph.hpp"
#include "unit_names.hpp"
#include "volume_store.hpp"

#include <algorithm>
#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>
#include <memory>
#include <set>
#include <unistd.h>

namespace holos::ctl {
namespace {

struct DownOptions {
    ProjectChoice choice;
    bool volumes = false; // remove the named volumes too
    bool yes = false;     // without asking
    int lock_timeout_s = kDefaultLockWaitS;
};

std::vector<std::string> units_of(const Paths& paths, const std::string& name) {
    std::vector<std::string> units = {project_target(name), keys_unit(name)};
    LoadResult load = load_registered_project(paths, name);
    if (!load.loaded) {
        for (const std::string& error : load.errors) {
            std::cerr << "holosctl: warning: " << error << "\n";
        }
        return units;
    }
    return loaded_unit_names(load.loaded->project);
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

// The project's units that are loaded and running or waiting for a job (a start that an
// interrupted up left queued must not run after the project is gone). Stopping any other
// would only make the manager load its file, a tenth of a second each among the units of
// 100 instances.
std::vector<std::string> units_to_stop(SystemdManager& manager,
                                       const std::vector<std::string>& units) {
    std::set<std::string> to_stop;
    // Unit names hold no glob characters, so each name matches itself only.
    for (const UnitState& unit : manager.list_units(units)) {
        bool stopped = unit.active_state == "inactive" || unit.active_state == "failed";
        if (!stopped || unit.job_id != 0) {
            to_stop.insert(unit.name);
        }
    }
    std::vector<std::string> ordered;
    std::copy_if(units.begin(), units.end(), std::back_inserter(ordered),
                 [&](const std::string& unit) { return to_stop.contains(unit); });
    return ordered;
}

// All at once: a stop of the target alone would stop the instances (PartOf=), but neither
// those started on their own nor the oneshots; stop jobs queued one after another would
// each wait for the one before.
void stop_all(SystemdManager& manager, const std::vector<std::string>& units) {
    std::vector<std::string> stopping = units_to_stop(manager, units);
    std::vector<std::string> results = manager.stop_units(stopping);
    for (size_t i = 0; i < stopping.size(); ++i) {
        if (results[i] != "done") {
            std::cerr << "holosctl: warning: stopping " << stopping[i] << ": " << results[i]
                      << "\n";
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

std::string size_text(std::uint64_t bytes) {
    return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB";
}

std::string volume_list(const std::vector<VolumeFile>& volumes) {
    std::string out;
    for (const VolumeFile& volume : volumes) {
        out += (out.empty() ? "" : ", ") + volume.name + " (" + size_text(volume.disk_bytes) +
               " on disk)";
    }
    return out;
}

// --volumes deletes data that no other command can bring back: it needs a "y" typed on a
// terminal or --yes, before anything else happens.
void confirm_volume_removal(const DownOptions& options, const std::string& project,
                            const std::vector<VolumeFile>& volumes) {
    if (!options.volumes || options.yes || volumes.empty()) {
        return;
    }
    if (!is_terminal(STDIN_FILENO)) {
        throw Failure("down --volumes would delete the data in " + volume_list(volumes) +
                          "; pass --yes to confirm (there is no terminal to ask on)",
                      kExitUsage);
    }
    std::cout << "Remove the volumes of project " << project << ": " << volume_list(volumes)
              << "? Their data is lost. [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") {
        throw Failure("nothing was changed");
    }
}

// Only with --volumes: without it the volumes are what down keeps.
void remove_volumes(const DownOptions& options, const Paths& paths, const std::string& project,
                    const std::vector<VolumeFile>& volumes) {
    if (!options.volumes) {
        return;
    }
    remove_project_volumes(paths, project);
    for (const VolumeFile& volume : volumes) {
        std::cout << "removed volume " << volume.name << "\n";
    }
}

// Registrations live under /run: after a reboot the disks are all that is left.
void down_unregistered(const DownOptions& options, const Paths& paths, const std::string& name,
                       const std::vector<VolumeFile>& volumes) {
    std::error_code ec;
    if (std::filesystem::exists(paths.instances_state(name), ec)) {
        remove_instance_state(paths, name);
        std::cout << "project " << name << " is not registered; removed its instance disks\n";
    } else if (volumes.empty()) {
        std::cout << "project " << name << " is not registered; nothing to do\n";
    }
    remove_volumes(options, paths, name, volumes);
}

// Stops every unit of the project (orphans of an earlier file too), then unregisters it.
void stop_and_unregister(const Paths& paths, const std::string& name, Scope scope) {
    SystemdManager manager(scope);
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
}

int run_down(const DownOptions& options, const GlobalOptions& global) {
    Paths paths = paths_for(global.scope());
    if (options.choice.file.empty() && options.choice.project.empty()) {
        compose_path(""); // down removes disks: never guess the project, unlike other verbs
    }
    std::string name = chosen_project_name(options.choice, paths);
    ProjectLock lock(paths, name, "down", std::chrono::seconds(options.lock_timeout_s));
    std::vector<VolumeFile> volumes =
        options.volumes ? project_volume_files(paths, name) : std::vector<VolumeFile>{};
    confirm_volume_removal(options, name, volumes);
    std::vector<std::string> registered = registered_projects(paths);
    if (std::find(registered.begin(), registered.end(), name) == registered.end()) {
        down_unregistered(options, paths, name, volumes);
        return kExitOk;
    }
    std::error_code ec;
    bool installed =
        std::filesystem::is_directory(paths.projects_dir(Lifetime::installed) / name, ec);
    stop_and_unregister(paths, name, global.scope());
    std::cout << "project " << name << (installed ? " stopped, uninstalled and removed\n"
                                                  : " stopped and removed\n");
    remove_volumes(options, paths, name, volumes);
    if (!options.volumes && !project_volume_files(paths, name).empty()) {
        std::cout << "its volumes are kept; holosctl down --volumes removes them\n";
    }
    return kExitOk;
}

} // namespace

int take_down(const ProjectChoice& choice, const GlobalOptions& global, int lock_timeout_s) {
    return run_down({choice, false, false, lock_timeout_s}, global);
}

VerbRun setup_down(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<DownOptions>();
    add_project_options(command, options->choice);
    command.add_flag("--volumes", options->volumes,
                     "also remove the project's named volumes, with their data");
    command.add_flag("-y,--yes", options->yes, "remove the volumes without asking");
    add_lock_option(command, options->lock_timeout_s);
    return [options, &global] { return run_down(*options, global); };
}

} // namespace holos::ctl
