// holosctl ps: one line per instance of every registered project, or of the one chosen as
// other verbs choose it (-p, -f, ./holos.yaml), optionally narrowed to some services or
// instances. Unlike other verbs, ps with nothing to go by lists every project rather than
// asking which one: listing is harmless and "what runs here?" is its main question.
//
// The properties of all units are read in one pipelined round of bus calls, so listing 50
// instances costs little more than listing one.

#include "verbs.hpp"

#include "table.hpp"
#include "target.hpp"

#include "instance_status.hpp"
#include "process.hpp"
#include "registry.hpp"
#include "service_graph.hpp"
#include "systemd_manager.hpp"
#include "unit_names.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>

namespace holos::ctl {
namespace {

struct PsOptions {
    ProjectChoice choice;
    std::vector<std::string> targets; // services or instances
    bool json = false;
    bool quiet = false;
};

// The projects to list and, per project, the instances to list.
struct Selection {
    std::vector<LoadedProject> projects;
    std::vector<std::vector<InstanceUnit>> instances;
    int status = kExitOk; // kExitFailure when a registration could not be read
};

bool has_compose_file_here() {
    std::error_code ec;
    return std::filesystem::exists("holos.yaml", ec) || std::filesystem::exists("holos.yml", ec);
}

bool lists_every_project(const PsOptions& options) {
    return options.choice.file.empty() && options.choice.project.empty() &&
           options.targets.empty() && !has_compose_file_here();
}

// A broken registration is reported and skipped, so the others still list.
Selection every_project(const Paths& paths) {
    Selection selection;
    for (const std::string& name : registered_projects(paths)) {
        LoadResult load = load_registered_project(paths, name);
        for (const std::string& error : load.errors) {
            std::cerr << "holosctl: project " << name << ": " << error << "\n";
            selection.status = kExitFailure;
        }
        if (load.loaded) {
            selection.projects.push_back(std::move(*load.loaded));
        }
    }
    // Instances point into their project, so they are taken once the vector stops moving.
    for (const LoadedProject& loaded : selection.projects) {
        selection.instances.push_back(instance_units(loaded.project));
    }
    return selection;
}

Selection chosen_selection(const PsOptions& options, const Paths& paths) {
    Selection selection;
    selection.projects.push_back(chosen_project(options.choice, paths));
    selection.instances.push_back(chosen_instances(selection.projects.front(), options.targets));
    return selection;
}

std::uint64_t monotonic_usec() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1000000 +
           static_cast<std::uint64_t>(now.tv_nsec) / 1000;
}

// Without the cgroup memory controller (a cgroup v1 host, or a manager it is not delegated
// to) the manager knows no memory figure; QEMU's resident memory is nearly all of it.
void add_resident_memory(std::vector<UnitStatus>& units) {
    for (UnitStatus& unit : units) {
        if (!unit.memory_bytes && unit.main_pid != 0) {
            unit.memory_bytes = resident_memory_bytes(static_cast<pid_t>(unit.main_pid));
        }
    }
}

// The instance's health unit, for a service with a healthcheck; empty otherwise.
std::string health_unit_of(const std::string& project, const InstanceUnit& instance) {
    return has_health_probe(*instance.service)
               ? health_unit(project, instance.service->name, instance.index)
               : std::string();
}

// Every instance unit and health unit goes into one round of bus calls.
std::vector<InstanceStatus> read_statuses(const Selection& selection, Scope scope) {
    std::vector<std::string> units;
    for (size_t p = 0; p < selection.projects.size(); ++p) {
        for (const InstanceUnit& instance : selection.instances[p]) {
            units.push_back(instance.unit);
            std::string health = health_unit_of(selection.projects[p].project.name, instance);
            if (!health.empty()) {
                units.push_back(health);
            }
        }
    }
    if (units.empty()) {
        return {}; // nothing to ask, so no need to reach the manager
    }
    std::vector<UnitStatus> units_read = SystemdManager(scope).unit_statuses(units);
    add_resident_memory(units_read);
    std::uint64_t now = monotonic_usec(); // after the replies, so no uptime is negative
    std::vector<InstanceStatus> statuses;
    size_t next = 0;
    for (size_t p = 0; p < selection.projects.size(); ++p) {
        const LoadedProject& loaded = selection.projects[p];
        for (const InstanceUnit& instance : selection.instances[p]) {
            const UnitStatus& unit = units_read[next++];
            const UnitStatus* health = nullptr;
            if (!health_unit_of(loaded.project.name, instance).empty()) {
                health = &units_read[next++];
            }
            statuses.push_back(instance_status(loaded.project.name, loaded.registration,
                                               instance, unit, now, health));
        }
    }
    return statuses;
}

template <typename T, typename Format>
std::string cell(const std::optional<T>& value, Format format) {
    return value ? format(*value) : "-";
}

Row table_row(const InstanceStatus& s) {
    auto number = [](auto value) { return std::to_string(value); };
    std::string state = s.active_state + (s.sub_state.empty() ? "" : " (" + s.sub_state + ")");
    std::string ports = format_ports(s.ports);
    return {s.project,
            s.instance,
            state,
            s.health.value_or("-"),
            cell(s.uptime_s, format_duration),
            s.ip.value_or("-"),
            ports.empty() ? "-" : ports,
            cell(s.ssh_port, [](auto port) { return "127.0.0.1:" + std::to_string(port); }),
            cell(s.pid, number),
            cell(s.memory_bytes, format_bytes),
            cell(s.cpu_usage_ns, format_cpu_time)};
}

void print_statuses(const std::vector<InstanceStatus>& statuses, const PsOptions& options,
                    size_t project_count) {
    if (options.json) {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const InstanceStatus& status : statuses) {
            out.push_back(instance_status_to_json(status));
        }
        std::cout << out.dump(2) << "\n";
        return;
    }
    if (options.quiet) {
        for (const InstanceStatus& status : statuses) {
            std::cout << (project_count > 1 ? status.project + "/" : "") << status.instance
                      << "\n";
        }
        return;
    }
    std::vector<Row> rows = {{"PROJECT", "INSTANCE", "STATE", "HEALTH", "UPTIME", "IP", "PORTS",
                              "SSH", "PID", "MEMORY", "CPU"}};
    for (const InstanceStatus& status : statuses) {
        rows.push_back(table_row(status));
    }
    print_table(rows);
}

int run_ps(const PsOptions& options, const GlobalOptions& global) {
    Paths paths = paths_for(global.scope());
    Selection selection =
        lists_every_project(options) ? every_project(paths) : chosen_selection(options, paths);
    print_statuses(read_statuses(selection, global.scope()), options, selection.projects.size());
    return selection.status;
}

} // namespace

VerbRun setup_ps(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<PsOptions>();
    add_project_options(command, options->choice);
    command.add_option("targets", options->targets, "services or instances to list (web, web-0)");
    auto* json = command.add_flag("--json", options->json, "print a JSON array (ps.schema.json)");
    command.add_flag("-q,--quiet", options->quiet, "print instance names only")->excludes(json);
    return [options, &global] { return run_ps(*options, global); };
}

} // namespace holos::ctl
