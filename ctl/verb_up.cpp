// holosctl up: validate, check what can be checked before anything changes, register the
// project, let systemd regenerate its units, start the project's target and report each
// instance. Bad input changes nothing; a failed registration step is rolled back.

#include "verbs.hpp"

#include "lifecycle.hpp"
#include "progress.hpp"
#include "project_lock.hpp"

#include "project_changes.hpp"
#include "register_project.hpp"
#include "report.hpp"

#include "error.hpp"
#include "generate.hpp"
#include "host_ports.hpp"
#include "holos_build_config.hpp"
#include "image_catalogue.hpp"
#include "image_store.hpp"
#include "instance_owner.hpp"
#include "instance_prep.hpp"
#include "network_allocation.hpp"
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

// A catalogue image the store does not have yet: its image unit downloads it at start.
bool will_be_pulled(const std::string& image, const Paths& paths) {
    std::string ignored;
    std::optional<ImageReference> reference = parse_image_reference(image, ignored);
    if (is_image_path(image) || !reference || find_in_catalogue(*reference) == nullptr) {
        return false;
    }
    return !ImageStore(paths.image_store()).find(*reference).has_value();
}

// QEMU opens the image as the instance's unprivileged user.
void check_image_access(const Service& service, const ResolvedImage& base) {
    try {
        check_readable_by_others(base.path);
    } catch (const Error& e) {
        throw Error("service " + service.name + ": image " + base.path.string() +
                    " cannot be opened by the instance's unprivileged user (" + e.what() +
                    "); make it readable by others, or put it in the image store");
    }
}

// Each base image exists or will be pulled by its image unit, and can be opened, and no
// vm.disk_size is smaller than its image (checked again at start for an image pulled then).
std::vector<std::string> image_problems(const Project& project, const Paths& paths) {
    std::vector<std::string> problems;
    for (const Service& service : project.services) {
        std::optional<ResolvedImage> base;
        try {
            if (will_be_pulled(service.image, paths)) {
                continue;
            }
            base = resolve_image(service.image, project.base_dir, paths.image_store());
            check_disk_size(service, *base, HOLOS_QEMU_IMG_BINARY);
            if (paths.scope == Scope::system) {
                check_image_access(service, *base);
            }
        } catch (const Error& e) {
            problems.push_back(base ? e.what() : "service " + service.name + ": " + e.what());
        }
    }
    return problems;
}

// Says which images the image units will download, since up waits for them silently.
void announce_pulls(const Project& project, const Paths& paths) {
    for (const ImageUnit& image : image_units(project)) {
        if (will_be_pulled(image.reference.str(), paths)) {
            std::cout << "pulling " << image.reference.str() << " before its instances start ("
                      << "journalctl -u " << image.unit << " shows the progress)\n";
        }
    }
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

// Every host port an instance binds: its forwards and its SSH port.
std::vector<std::pair<PortMapping, std::uint16_t>> host_bindings(const InstanceUnit& instance,
                                                                 const Registration& registration) {
    AllocatedPorts allocated = allocated_ports_of(registration, instance.instance);
    std::vector<std::pair<PortMapping, std::uint16_t>> bindings;
    for (const PortMapping& port : instance.service->ports) {
        bindings.emplace_back(port, *host_port(port, instance.index, allocated));
    }
    bindings.emplace_back(PortMapping{}, registration.ssh_ports.at(instance.instance));
    return bindings;
}

// Forwards of instances that already run are theirs; every other forward must bind now.
std::vector<std::string> taken_ports(const Project& project, const Registration& registration,
                                     SystemdManager& manager) {
    std::vector<InstanceUnit> instances = instance_units(project);
    std::vector<std::string> units;
    for (const InstanceUnit& instance : instances) {
        units.push_back(instance.unit);
    }
    std::vector<UnitState> states = manager.unit_states(units);
    std::vector<std::string> problems;
    for (size_t i = 0; i < instances.size(); ++i) {
        if (states[i].active_state == "active") {
            continue;
        }
        for (const auto& [port, host] : host_bindings(instances[i], registration)) {
            std::string problem = port_problem(port, host, instances[i].instance);
            if (!problem.empty()) {
                problems.push_back(problem);
            }
        }
    }
    return problems;
}

// What this project's registration must keep or avoid: its previous registration, and the
// host ports and network segments of the other registered projects.
struct Neighbours {
    Registration previous;
    std::set<std::uint16_t> host_ports;
    SegmentsInUse segments;
};

Neighbours read_neighbours(const Project& project, const Paths& paths) {
    Neighbours neighbours{{}, fixed_host_ports(project), {{}, bound_udp_ports()}};
    for (const std::string& name : registered_projects(paths)) {
        try {
            Registration other = read_registration(paths, name);
            if (name == project.name) {
                neighbours.previous = other;
                continue;
            }
            neighbours.host_ports.merge(registered_host_ports(other));
            if (other.network) {
                neighbours.segments.registered.push_back(other.network->segment);
            }
        } catch (const Error&) {
            // A broken registration reserves nothing; the generator reports it.
        }
    }
    return neighbours;
}

// Ports and segments of other registered projects and the fixed ports of this one are never
// handed out.
Registration make_registration(const ComposeFile& compose, const Paths& paths) {
    const Project& project = compose.project;
    Registration registration{project.name, project.source_file, compose.variables, {}, {}};
    Neighbours neighbours = read_neighbours(project, paths);
    allocate_ports(project, neighbours.previous, neighbours.host_ports, registration);
    const std::optional<ProjectNetwork>& previous = neighbours.previous.network;
    registration.network =
        allocate_network(project, previous ? &*previous : nullptr, neighbours.segments);
    registration.lifetime = neighbours.previous.lifetime;
    registration.enabled = neighbours.previous.enabled;
    return registration;
}

// Host ports are checked only when the project starts now.
void preflight(const Project& project, const Registration& registration, const Paths& paths,
               SystemdManager& manager, bool starts_now) {
    std::vector<std::string> problems = image_problems(project, paths);
    std::vector<std::string> clashes = unit_clashes(project, paths);
    problems.insert(problems.end(), clashes.begin(), clashes.end());
    if (starts_now) {
        std::vector<std::string> taken = taken_ports(project, registration, manager);
        problems.insert(problems.end(), taken.begin(), taken.end());
    }
    for (const std::string& problem : problems) {
        std::cerr << "holosctl: " << problem << "\n";
    }
    if (!problems.empty()) {
        throw Failure("project " + project.name +
                      (starts_now ? " was not started" : " was not installed"));
    }
}

// install only registers: it must not leave an instance stopped that up would have restarted.
void check_install_stops_nothing(const ChangePlan& plan, const ComposeFile& compose) {
    for (const PlannedInstance& instance : plan.instances) {
        if (instance.action == PlannedAction::restart ||
            instance.action == PlannedAction::remove ||
            instance.action == PlannedAction::recreate) {
            throw Failure("project " + plan.project + " runs with settings that " +
                          compose.project.source_file.string() + " changes (" +
                          instance.instance + ": " + action_name(instance.action) +
                          "); apply them with holosctl up first (holosctl diff shows them), "
                          "then install");
        }
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
// Returns the target's job result; `jobs` receives how every job of the start ended.
std::string start_with_progress(SystemdManager& manager, const Project& project, JobResults& jobs) {
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
    watcher.job_removed = [&](const std::string& unit, const std::string& result) {
        jobs[unit] = result;
        pending.erase(unit);
        show();
    };
    watcher.tick = show;
    return manager.start_unit(project_target(project.name), &watcher);
}

} // namespace

RegisteredProject register_project(const ComposeFile& compose, const Paths& paths,
                                   SystemdManager& manager, const RegisterRequest& request) {
    const Project& project = compose.project;
    Registration registration = make_registration(compose, paths);
    if (request.placement.install) {
        registration.lifetime = Lifetime::installed;
        registration.enabled = request.placement.enable;
    }
    ChangePlan plan = plan_up(compose, registration, paths, manager, request.recreate);
    if (!request.starts_now) {
        check_install_stops_nothing(plan, compose);
    }
    preflight(project, registration, paths, manager, request.starts_now);
    if (request.starts_now && plan_has_changes(plan)) {
        std::cout << format_plan(plan);
    }

    std::uint64_t since = realtime_usec();
    std::vector<std::string> registered = registered_projects(paths);
    bool was_registered =
        std::find(registered.begin(), registered.end(), project.name) != registered.end();
    stop_for_plan(plan, manager);
    register_and_reload(compose, registration, paths, manager, was_registered);
    clear_for_plan(plan, paths, manager);
    return {std::move(registration), std::move(plan), since};
}

int bring_up(const UpOptions& options, const GlobalOptions& global) {
    ComposeFile compose = load_compose(options.file);
    const Project& project = compose.project;
    Paths paths = paths_for(global.scope());
    ProjectLock lock(paths, project.name, options.dry_run ? "diff" : "up",
                     std::chrono::seconds(options.lock_timeout_s));
    SystemdManager manager(global.scope());
    if (options.dry_run) {
        Registration registration = make_registration(compose, paths);
        std::cout << format_plan(plan_up(compose, registration, paths, manager,
                                         options.recreate));
        return kExitOk;
    }
    RegisteredProject registered =
        register_project(compose, paths, manager, {{}, options.recreate, true});

    std::string target = project_target(project.name);
    announce_pulls(project, paths);
    JobResults jobs;
    std::string job = start_with_progress(manager, project, jobs);
    bool all_active = report_instances(project, registered.registration, manager, global.scope(),
                                       registered.since_usec, jobs);
    warn_stale(registered.plan);
    if (job != "done" || !all_active) {
        throw Failure("project " + project.name + " did not start completely (" + target +
                      ": " + job + "); see the messages above, then fix and run up again, "
                      "or run down");
    }
    return kExitOk;
}

namespace {

// up's positional words are the services --recreate names; without it, up acts on the
// whole project and takes none.
VerbRun setup_up_or_diff(CLI::App& command, const GlobalOptions& global, bool diff) {
    auto options = std::make_shared<UpOptions>();
    auto services = std::make_shared<std::vector<std::string>>();
    add_file_option(command, options->file);
    if (!diff) {
        command.add_flag("--dry-run", options->dry_run,
                         "print what up would change, change nothing");
        command.add_flag("--recreate", options->recreate.stale,
                         "re-provision stale instances (or the SERVICEs named) on fresh disks");
        command.add_option("services", *services, "services to re-provision (with --recreate)");
    }
    add_lock_option(command, options->lock_timeout_s);
    return [options, services, diff, &global] {
        if (!services->empty() && !options->recreate.stale) {
            throw Failure("up acts on the whole project; name services only with --recreate",
                          kExitUsage);
        }
        if (!services->empty()) {
            options->recreate.stale = false; // only the named ones
            options->recreate.services = {services->begin(), services->end()};
        }
        options->dry_run = options->dry_run || diff;
        return bring_up(*options, global);
    };
}

} // namespace

VerbRun setup_up(CLI::App& command, const GlobalOptions& global) {
    return setup_up_or_diff(command, global, false);
}

VerbRun setup_diff(CLI::App& command, const GlobalOptions& global) {
    return setup_up_or_diff(command, global, true);
}

} // namespace holos::ctl
