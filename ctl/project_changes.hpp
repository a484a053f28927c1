// Carrying out the change plan of an `up` (lib/change_plan.hpp) on a project that may be
// running: which instances to stop before the new units are loaded, which disks go once they
// are, and what to tell the user about instances left as they are.
#pragma once

#include "context.hpp"

#include "change_plan.hpp"
#include "registry.hpp"
#include "systemd_manager.hpp"

#include <set>
#include <string>

namespace holos::ctl {

struct RecreateRequest {
    bool stale = false;             // --recreate without names: every stale instance
    std::set<std::string> services; // --recreate SERVICE...
};

// Plans the `up` of `compose` against the project's registration, if any. Throws Failure
// when the name is already registered from another file (one name, one source) or a
// service to recreate does not exist.
ChangePlan plan_up(const ComposeFile& compose, const Registration& registration,
                   const Paths& paths, SystemdManager& manager, const RecreateRequest& recreate);

// Whether the plan changes anything a user should hear about before it happens.
bool plan_has_changes(const ChangePlan& plan);

// Stops what the plan removes, restarts or recreates, dependents first. Throws Failure.
void stop_for_plan(const ChangePlan& plan, SystemdManager& manager);

// After the reload: forgets removed units and deletes their disks, and deletes the disks of
// recreated instances (their named volumes stay), saying so.
void clear_for_plan(const ChangePlan& plan, const Paths& paths, SystemdManager& manager);

// Warns about instances that keep running with their old provisioning.
void warn_stale(const ChangePlan& plan);

} // namespace holos::ctl
