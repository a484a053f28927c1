// What an `up` of an already registered project changes for the instances that run: which
// ones the new file no longer has (they are stopped and their disks removed), and which keep
// running with settings the new units no longer match (they need a restart to apply them).
#pragma once

#include "context.hpp"
#include "registry.hpp"
#include "systemd_manager.hpp"

#include <string>
#include <vector>

namespace holos::ctl {

struct RemovedInstance {
    std::string instance;
    std::string unit;
};

struct ProjectChanges {
    std::vector<RemovedInstance> removed; // in the registration, not in the new file
    std::vector<std::string> stale_units; // running, and their units change
};

// Compares the new file with the project's registration, if any. Throws Failure when the
// name is already registered from another file: one project name, one source.
ProjectChanges compare_with_registered(const ComposeFile& compose,
                                       const Registration& registration, const Paths& paths,
                                       SystemdManager& manager);

// Stops the removed instances; their units disappear with the next reload.
void stop_removed(const ProjectChanges& changes, SystemdManager& manager);

// After the reload: forgets the removed units and deletes their disks, saying so.
void forget_removed(const ProjectChanges& changes, const std::string& project,
                    const Paths& paths, SystemdManager& manager);

// Warns about instances that keep running with their old settings.
void warn_stale(const ProjectChanges& changes);

} // namespace holos::ctl
