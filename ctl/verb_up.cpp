// holosctl up: validate, check what can be checked before anything changes, register the
// project, let systemd regenerate its units, start the project's target and report each
// instance. Bad input changes nothing; a failed registration step is rolled back.

#include "verbs.hpp"

#include "lifecycle.hpp"
#include "progress.hpp"

#include "project_changes.hpp"
#include "reprovision.hpp"
#include "report.hpp"

#include "error.hpp"
#include "generate.hpp"
#include "host_ports.hpp"
#include "holos_build_config.hpp"
#include "image_store.hpp"
#include "instance_prep.hpp"
#include "port_allocation.hpp"
#include "registry.hpp"
#include "systemd_manager.hpp"
#include "unit_graph.hpp"
#include "unit_names.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <set>
#include <time.h>

namespace holos::ctl {
namespace {

// Each base image exists, and no vm.disk_size is smaller than its image.
std::vector<std::string> image_problems(const Project& project, const Paths& paths) {
    std::vector<std::string> problems;
    for (const Service& service : project.services) {
        std::optional<ResolvedImage> base;
        try {
            base = resolve_image(service.image, project.base_dir, paths.image_store());
            check_disk_size(service, *base, HOLOS_QEMU_IMG_BINARY);
        } catch (const Error& e) {
            problems.push_back(base ? e.what() : "service " + service.name + ": " + e.what());
        }
    }
    return problems;
}

// Another registered project must not define a unit of the same name.
std::vector<std::string> unit_clashes(const Project& project, const Paths& paths) {
    std::vector<std::string> problems;
    std::vector<std::string> ours = project_unit_names(project);
    std::set<std::string> mine(ours.begin(), ours.end());
    for (const std::string& other : registered_projects(paths)) {
        if (other == project.name) {
            continue;
        }
        LoadResult load = load_registered_project(paths, other);
        if (!load.loaded) {
            continue;
        }
        for (const std::string& unit : project_unit_names(load.loaded->project)) {
            if (mine.contains(unit)) {
                problems.push_back("unit " + unit + " is already defined by project " + other);
            }
        }
    }
    return problems;
}

std::string port_problem(const PortMapping& port, std::uint16_t host, const std::string& who) {
    std::string reason;
    if (port_free(port.protocol, port.host_ip, host, reason)) {
        return {};
    }
    return "port " + port.host_ip + ":" + std::to_string(host) + "/" + port.protocol + " for " +
           who + " is not available: " + reason;
}

// Forwards of instances that already run are theirs; every other forward must bind now.
std::vector<std::string> taken_ports(const Project& project, const Registration& registration,
                                     SystemdManager& manager) {
    std::vector<std::string> problems;
    for (const InstanceUnit& instance : instance_units(project)) {
        if (manager.unit_state(instance.unit).active_state == "active") {
            continue;
        }
        AllocatedPorts allocated = allocated_ports_of(registration, instance.instance);
        std::vector<std::pair<PortMapping, std::uint16_t>> forwards;
        for (const PortMapping& port : instance.service->ports) {
            forwards.emplace_back(port, *host_port(port, instance.index, allocated));
        }
        forwards.emplace_back(PortMapping{}, registration.ssh_ports.at(instance.instance));
        for (const auto& [port, host] : forwards) {
            std::string problem = port_problem(port, host, instance.instance);
            if (!problem.empty()) {
                problems.push_back(problem);
            }
        }
    }
    return problems;
}

// Ports of other registered projects and the fixed ports of this one are never handed out.
Registration make_registration(const ComposeFile& compose, const Paths& paths) {
    const Project& project = compose.project;
    Registration registration{project.name, project.source_file, compose.variables, {}, {}};
    Registration previous;
    std::set<std::uint16_t> in_use = fixed_host_ports(project);
    for (const std::string& name : registered_projects(paths)) {
        try {
            Registration other = read_registration(paths, name);
            if (name == project.name) {
                previous = other;
                continue;
            }
            in_use.merge(registered_host_ports(other));
        } catch (const Error&) {
            // A broken registration reserves nothing; the generator reports it.
        }
    }
    allocate_ports(project, previous, in_use, registration);
    return registration;
}

void preflight(const Project& project, const Registration& registration, const Paths& paths,
               SystemdManager& manager) {
    std::vector<std::string> problems = image_problems(project, paths);
    for (auto& more :
         {unit_clashes(project, paths), taken_ports(project, registration, manager)}) {
        problems.insert(problems.end(), more.begin(), more.end());
    }
    for (const std::string& problem : problems) {
        std::cerr << "holosctl: " << problem << "\n";
    }
    if (!problems.empty()) {
        throw Failure("project " + project.name + " was not started");
    }
}

void register_and_reload(const ComposeFile& compose, const Registration& registration,
                         const Paths& paths, SystemdManager& manager, bool was_registered) {
    write_registration(paths, registration, compose.text);
    try {
        manager.reload();
    } catch (const Error&) {
        if (!was_registered) {
            remove_registration(paths, compose.project.name);
        }
        throw;
    }
}

std::uint64_t realtime_usec() {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1000000 +
           static_cast<std::uint64_t>(now.tv_nsec) / 1000;
}

// Instances come up in dependency order, and a dependent waits for its dependencies'
// health, so starting a project can take minutes: the notice counts the instances started.
std::string start_with_progress(SystemdManager& manager, const Project& project) {
    std::set<std::string> pending;
    for (const InstanceUnit& instance : instance_units(project)) {
        pending.insert(instance.unit);
    }
    size_t total = pending.size();
    WaitNotice notice("starting project " + project.name);
    auto show = [&] {
        notice.update(std::to_string(total - pending.size()) + " of " + std::to_string(total) +
                      " instances started");
    };
    JobWatcher watcher;
    watcher.job_removed = [&](const std::string& unit, const std::string&) {
        pending.erase(unit);
        show();
    };
    watcher.tick = show;
    return manager.start_unit(project_target(project.name), &watcher);
}

} // namespace

int bring_up(const std::string& file, const GlobalOptions& global) {
    ComposeFile compose = load_compose(file);
    const Project& project = compose.project;
    Paths paths = paths_for(global.scope());
    SystemdManager manager(global.scope());
    Registration registration = make_registration(compose, paths);
    ProjectChanges changes = compare_with_registered(compose, registration, paths, manager);
    preflight(project, registration, paths, manager);
    std::vector<Rebuild> rebuilds = dockerfile_rebuilds(project, paths);

    std::uint64_t since = realtime_usec();
    std::vector<std::string> registered = registered_projects(paths);
    bool was_registered =
        std::find(registered.begin(), registered.end(), project.name) != registered.end();
    stop_removed(changes, manager);
    register_and_reload(compose, registration, paths, manager, was_registered);
    forget_removed(changes, project.name, paths, manager);
    stop_for_rebuild(rebuilds, manager, changes.stale_units);

    std::string target = project_target(project.name);
    std::string job = start_with_progress(manager, project);
    bool all_active = report_instances(project, registration, manager, global.scope(), since);
    warn_stale(changes);
    if (job != "done" || !all_active) {
        throw Failure("project " + project.name + " did not start completely (" + target +
                      ": " + job + "); see the messages above, then fix and run up again, "
                      "or run down");
    }
    return kExitOk;
}

VerbRun setup_up(CLI::App& command, const GlobalOptions& global) {
    auto file = std::make_shared<std::string>();
    add_file_option(command, *file);
    return [file, &global] { return bring_up(*file, global); };
}

} // namespace holos::ctl
