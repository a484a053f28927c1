// holosctl ps: one line per instance of every registered project (or of one).

#include "verbs.hpp"

#include "report.hpp"

#include "generate.hpp"
#include "registry.hpp"
#include "systemd_manager.hpp"
#include "unit_graph.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

namespace holos::ctl {
namespace {

using Row = std::vector<std::string>;

void print_table(const std::vector<Row>& rows) {
    std::vector<size_t> widths;
    for (const Row& row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    for (const Row& row : rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            std::string cell = row[i];
            if (i + 1 < row.size()) {
                cell.resize(widths[i] + 2, ' ');
            }
            line += cell;
        }
        std::cout << line << "\n";
    }
}

std::string state_text(const UnitState& state) {
    return state.active_state + (state.sub_state.empty() ? "" : " (" + state.sub_state + ")");
}

void add_project_rows(const LoadedProject& loaded, SystemdManager& manager,
                      std::vector<Row>& rows) {
    for (const InstanceUnit& instance : instance_units(loaded.project)) {
        UnitState state = manager.unit_state(instance.unit);
        auto ssh = loaded.registration.ssh_ports.find(instance.instance);
        rows.push_back({loaded.project.name, instance.instance, state_text(state),
                        describe_ports(*instance.service, instance.index, loaded.registration),
                        ssh == loaded.registration.ssh_ports.end()
                            ? "-"
                            : "127.0.0.1:" + std::to_string(ssh->second),
                        state.main_pid ? std::to_string(state.main_pid) : "-"});
    }
}

int run_ps(const std::string& only_project, const GlobalOptions& global) {
    Paths paths = paths_for(global.scope());
    SystemdManager manager(global.scope());
    std::vector<Row> rows = {{"PROJECT", "INSTANCE", "STATE", "PORTS", "SSH", "PID"}};
    int status = kExitOk;
    for (const std::string& name : registered_projects(paths)) {
        if (!only_project.empty() && name != only_project) {
            continue;
        }
        LoadResult load = load_registered_project(paths, name);
        for (const std::string& error : load.errors) {
            std::cerr << "holosctl: project " << name << ": " << error << "\n";
            status = kExitFailure;
        }
        if (load.loaded) {
            add_project_rows(*load.loaded, manager, rows);
        }
    }
    std::vector<std::string> registered = registered_projects(paths);
    if (!only_project.empty() &&
        std::find(registered.begin(), registered.end(), only_project) == registered.end()) {
        throw Failure("project " + only_project + " is not registered; holosctl ps lists the "
                      "registered ones");
    }
    print_table(rows);
    return status;
}

} // namespace

VerbRun setup_ps(CLI::App& command, const GlobalOptions& global) {
    auto project = std::make_shared<std::string>();
    command.add_option("-p,--project", *project, "only this project");
    return [project, &global] { return run_ps(*project, global); };
}

} // namespace holos::ctl
