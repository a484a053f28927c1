// holosctl ps: one line per instance of every registered project, or of the one chosen as
// other verbs choose it (-p, -f, ./holos.yaml), optionally narrowed to some services or
// instances. Unlike other verbs, ps with nothing to go by lists every project rather than
// asking which one: listing is harmless and "what runs here?" is its main question.
//
// The states of all units come from one call to the manager, and the main PID of each running
// instance from one pipelined round of calls; QEMU's start time, CPU time and memory are then
// read from the kernel, which costs less than a bus round trip per figure.

#include "verbs.hpp"

#include "table.hpp"
#include "target.hpp"

#include "instance_status.hpp"
#include "process_usage.hpp"
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

std::uint64_t clock_usec(clockid_t clock) {
    timespec now{};
    clock_gettime(clock, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1000000 +
           static_cast<std::uint64_t>(now.tv_nsec) / 1000;
}

// Each instance unit, then its health unit if it has one, in one list for one round of calls.
std::vector<StatusQuery> status_queries(const Selection& selection) {
    std::vector<StatusQuery> queries;
    for (size_t p = 0; p < selection.projects.size(); ++p) {
        const std::string& project = selection.projects[p].project.name;
        for (const InstanceUnit& instance : selection.instances[p]) {
            queries.push_back({instance.unit});
            if (has_health_probe(*instance.service)) {
                queries.push_back(
                    {health_unit(project, instance.service->name, instance.index), true});
            }
        }
    }
    return queries;
}

std::vector<InstanceStatus> read_statuses(const Selection& selection, Scope scope) {
    std::vector<StatusQuery> queries = status_queries(selection);
    if (queries.empty()) {
        return {}; // nothing to ask, so no need to reach the manager
    }
    std::vector<UnitStatus> units = SystemdManager(scope).unit_statuses(queries);
    std::vector<InstanceStatus> statuses;
    size_t next = 0;
    for (size_t p = 0; p < selection.projects.size(); ++p) {
        const LoadedProject& loaded = selection.projects[p];
        for (const InstanceUnit& instance : selection.instances[p]) {
            InstanceReading reading{units[next++], std::nullopt, std::nullopt};
            if (has_health_probe(*instance.service)) {
                reading.health = units[next++];
            }
            if (reading.unit.main_pid != 0) {
                reading.usage = process_usage(static_cast<pid_t>(reading.unit.main_pid));
            }
            // After the reads, so no uptime is negative.
            StatusClock now{clock_usec(CLOCK_BOOTTIME), clock_usec(CLOCK_REALTIME)};
            statuses.push_back(
                instance_status(loaded.project.name, loaded.registration, instance, reading, now));
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
