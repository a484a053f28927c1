#include "project_changes.hpp"

#include "error.hpp"
#include "generate.hpp"
#include "unit_graph.hpp"
#include "unit_names.hpp"

#include <iostream>
#include <map>
#include <set>

namespace holos::ctl {
namespace {

// The unit files of one instance (its service's template and its own drop-in), by path.
std::map<std::string, std::string> instance_files_of(const UnitSet& units,
                                                     const InstanceUnit& instance) {
    std::string template_name = instance.unit.substr(0, instance.unit.find('@')) + "@.service";
    std::map<std::string, std::string> files;
    for (const GeneratedFile& file : units.files) {
        if (file.path == template_name || file.path.starts_with(instance.unit + ".d/")) {
            files[file.path] = file.content;
        }
    }
    return files;
}

UnitSet units_for(const Project& project, const Registration& registration,
                  const Paths& paths) {
    std::vector<std::string> ignored;
    GenerateOptions options = host_generate_options(paths, ignored);
    return project_units(project, graph_context(options, snapshot_file(paths, registration),
                                                &registration));
}

} // namespace

ProjectChanges compare_with_registered(const ComposeFile& compose,
                                       const Registration& registration, const Paths& paths,
                                       SystemdManager& manager) {
    ProjectChanges changes;
    LoadResult current = load_registered_project(paths, compose.project.name);
    if (!current.loaded) {
        return changes;
    }
    const Registration& old_registration = current.loaded->registration;
    if (old_registration.source_file.lexically_normal() !=
        compose.project.source_file.lexically_normal()) {
        throw Failure("project " + compose.project.name + " is already up from " +
                      old_registration.source_file.string() + "; run holosctl down -f " +
                      old_registration.source_file.string() +
                      " first, or give this project another name");
    }
    std::set<std::string> wanted;
    for (const InstanceUnit& instance : instance_units(compose.project)) {
        wanted.insert(instance.unit);
    }
    UnitSet old_units = units_for(current.loaded->project, old_registration, paths);
    UnitSet new_units = units_for(compose.project, registration, paths);
    for (const InstanceUnit& instance : instance_units(current.loaded->project)) {
        if (!wanted.contains(instance.unit)) {
            changes.removed.push_back({instance.instance, instance.unit});
        } else if (manager.unit_state(instance.unit).active_state == "active" &&
                   instance_files_of(old_units, instance) !=
                       instance_files_of(new_units, instance)) {
            changes.stale_units.push_back(instance.unit);
        }
    }
    return changes;
}

void stop_removed(const ProjectChanges& changes, SystemdManager& manager) {
    for (const RemovedInstance& removed : changes.removed) {
        std::string result = manager.stop_unit(removed.unit);
        if (result != "done") {
            throw Failure("stopping " + removed.unit + ", which the file no longer has: " +
                          result);
        }
    }
}

void forget_removed(const ProjectChanges& changes, const std::string& project,
                    const Paths& paths, SystemdManager& manager) {
    for (const RemovedInstance& removed : changes.removed) {
        manager.reset_failed(removed.unit);
        std::error_code ec;
        std::filesystem::remove_all(paths.instance_state(project, removed.instance), ec);
        std::cout << project << "/" << removed.instance
                  << " removed (no longer in the file), with its disk\n";
    }
}

void warn_stale(const ProjectChanges& changes) {
    for (const std::string& unit : changes.stale_units) {
        std::cerr << "holosctl: warning: " << unit
                  << " keeps running with its old settings; apply the new ones with: "
                     "systemctl restart "
                  << unit << "\n";
    }
}

} // namespace holos::ctl
