// What `holosctl up` does to a project that is already registered, decided before anything is
// touched, so `up --dry-run` can print it and `up` can follow it. A VM's disk holds state, so
// the plan never throws a disk away unless an instance leaves the file or --recreate asks:
//
//   unchanged     the same units and the same provisioning: left alone
//   create        a new service or replica
//   remove        gone from the file: stopped, its disk deleted
//   restart       a hardware setting changed (vcpu, memory, ports, devices, machine, ...):
//                 restarted with its disk kept
//   update        only settings systemd applies on reload (restart policy, stop grace
//                 period, health checks, dependencies): nothing restarts
//   stale         provisioning changed (image, cloud_init, Dockerfile, environment): it keeps
//                 running as it is
//   recreate      stale or named by --recreate: re-provisioned on a fresh disk
//   start         not running: started, with whatever changed
//
// Pure: the caller supplies both projects with their graph contexts and what is running.
#pragma once

#include "project.hpp"
#include "unit_graph.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace holos {

enum class PlannedAction { unchanged, create, remove, restart, update, stale, recreate, start };

struct PlannedInstance {
    std::string service;
    int index = 0;
    std::string instance; // web-0
    std::string unit;
    PlannedAction action = PlannedAction::unchanged;
    bool provisioning_changed = false; // its seed or base image differs from the running one
    std::vector<std::string> changes;  // "vm.memory_mb 1024 -> 2048", "cloud_init.runcmd"
};

struct ChangePlan {
    std::string project;
    std::vector<PlannedInstance> instances; // services in start order, then removed ones
};

// One side of the comparison: a project and the context its units are generated in.
struct PlanSide {
    const Project* project;
    GraphContext context;
};

struct PlanRequest {
    std::optional<PlanSide> before; // the registered project; none for a first `up`
    PlanSide after;
    std::set<std::string> running_units;
    std::string public_key;            // the project's; it goes into every seed
    bool recreate_stale = false;       // --recreate without names
    std::set<std::string> recreate;    // --recreate SERVICE...
    // Instances whose disk was built from other Dockerfile inputs (the Dockerfile or a file
    // it copies): their next start builds a fresh disk, so a running one is recreated.
    std::set<std::string> rebuilt;
};

ChangePlan plan_changes(const PlanRequest& request);

// The plan as people read it: one line per instance with its action and what changed.
std::string format_plan(const ChangePlan& plan);

// "restart", "stale", ... as the plan prints them.
const char* action_name(PlannedAction action);

} // namespace holos
