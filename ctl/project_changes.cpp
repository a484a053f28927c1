#include "project_changes.hpp"
#include "reprovision.hpp"

#include "error.hpp"
#include "generate.hpp"
#include "ssh_keys.hpp"
#include "unit_graph.hpp"

#include <algorithm>
#include <iostream>

namespace holos::ctl {
namespace {

bool stops_first(PlannedAction action) {
    return action == PlannedAction::remove || action == PlannedAction::restart ||
           action == PlannedAction::recreate;
}

// The running units among every instance of both versions of the project.
std::set<std::string> running_units(const Project* before, const Project& after,
                                    SystemdManager& manager) {
    std::vector<std::string> units;
    for (const Project* project : {before, &after}) {
        if (project != nullptr) {
            for (const InstanceUnit& instance : instance_units(*project)) {
                units.push_back(instance.unit);
            }
        }
    }
    std::set<std::string> running;
    for (const UnitState& state : manager.unit_states(units)) {
        if (state.active_state == "active" || state.active_state == "activating") {
            running.insert(state.name);
        }
    }
    return running;
}

// The key goes into every seed; before the first start there is none, which changes
// nothing when both sides are compared with the same value.
std::string project_public_key(const Paths& paths, const std::string& project) {
    try {
        return read_public_key(paths.ssh_key(project));
    } catch (const Error&) {
        return {};
    }
}

void check_recreate_names(const Project& project, const RecreateRequest& recreate) {
    for (const std::string& name : recreate.services) {
        if (find_service(project, name) == nullptr) {
            throw Failure("--recreate " + name + ": project " + project.name +
                              " has no service " + name,
                          kExitUsage);
        }
    }
}

// The files that make up an instance's provisioned disk; its console log stays as history.
void remove_provisioned_disk(const Paths& paths, const std::string& project,
                             const std::string& instance) {
    InstanceFiles files = instance_files(paths, project, instance);
    std::filesystem::path pinned_key = paths.instance_state(project, instance) / "ssh_host_key";
    for (const std::filesystem::path& file : {files.overlay, files.seed, pinned_key}) {
        std::error_code ec;
        std::filesystem::remove(file, ec);
        if (ec) {
            throw Failure("removing " + file.string() + ": " + ec.message());
        }
    }
}

} // namespace

ChangePlan plan_up(const ComposeFile& compose, const Registration& registration,
                   const Paths& paths, SystemdManager& manager, const RecreateRequest& recreate) {
    const Project& project = compose.project;
    check_recreate_names(project, recreate);
    std::vector<std::string> ignored;
    GenerateOptions options = host_generate_options(paths, ignored);
    std::filesystem::path source = snapshot_file(paths, registration);

    PlanRequest request{std::nullopt,
                        PlanSide{&project, graph_context(options, source, &registration)},
                        {},
                        project_public_key(paths, project.name),
                        recreate.stale,
                        recreate.services,
                        dockerfile_rebuilds(project, paths)};
    LoadResult current = load_registered_project(paths, project.name);
    if (current.loaded) {
        const Registration& old = current.loaded->registration;
        if (old.source_file.lexically_normal() != project.source_file.lexically_normal()) {
            throw Failure("project " + project.name + " is already up from " +
                          old.source_file.string() + "; run holosctl down -f " +
                          old.source_file.string() +
                          " first, or give this project another name");
        }
        request.before = PlanSide{&current.loaded->project, graph_context(options, source, &old)};
    }
    request.running_units =
        running_units(current.loaded ? &current.loaded->project : nullptr, project, manager);
    return plan_changes(request);
}

bool plan_has_changes(const ChangePlan& plan) {
    return std::any_of(plan.instances.begin(), plan.instances.end(),
                       [](const PlannedInstance& instance) {
                           return instance.action != PlannedAction::unchanged &&
                                  instance.action != PlannedAction::create;
                       });
}

// The plan lists services in start order, so walking it backwards stops dependents first.
void stop_for_plan(const ChangePlan& plan, SystemdManager& manager) {
    for (auto it = plan.instances.rbegin(); it != plan.instances.rend(); ++it) {
        if (!stops_first(it->action)) {
            continue;
        }
        std::string result = manager.stop_unit(it->unit);
        if (result != "done") {
            throw Failure("stopping " + it->unit + " (" + action_name(it->action) +
                          "): " + result + "; nothing else was changed");
        }
    }
}

void clear_for_plan(const ChangePlan& plan, const Paths& paths, SystemdManager& manager) {
    for (const PlannedInstance& instance : plan.instances) {
        std::string name = plan.project + "/" + instance.instance;
        if (instance.action == PlannedAction::remove) {
            manager.reset_failed(instance.unit);
            std::error_code ec;
            std::filesystem::remove_all(paths.instance_state(plan.project, instance.instance),
                                        ec);
            std::cout << name << " removed (no longer in the file), with its disk\n";
        } else if (instance.action == PlannedAction::recreate) {
            remove_provisioned_disk(paths, plan.project, instance.instance);
            std::cout << name << " is re-provisioned on a fresh disk\n";
        }
    }
}

void warn_stale(const ChangePlan& plan) {
    for (const PlannedInstance& instance : plan.instances) {
        if (instance.action == PlannedAction::stale) {
            std::cerr << "holosctl: warning: " << plan.project << "/" << instance.instance
                      << " keeps running with its old provisioning; re-provision it on a "
                         "fresh disk with holosctl up --recreate "
                      << instance.service << "\n";
        }
    }
}

} // namespace holos::ctl
