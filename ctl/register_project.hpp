// Registering a compose file, the part `up` and `install` share: plan the change against the
// registered project, check what can be checked before anything changes, keep or allocate
// its ports and network, write the snapshot, reload, and stop and clear what the plan says.
// (Implemented in verb_up.cpp, beside the start that follows it there.)
#pragma once

#include "context.hpp"
#include "project_changes.hpp"

#include "change_plan.hpp"
#include "registry.hpp"
#include "systemd_manager.hpp"

#include <cstdint>

namespace holos::ctl {

// Where the registration goes: `up` keeps a registered project where it is (under the
// runtime directory when new); `install` puts it under the config directory.
struct Placement {
    bool install = false;
    bool enable = false; // with install: started at boot
};

struct RegisterRequest {
    Placement placement;
    RecreateRequest recreate;
    // up starts the project next, so its host ports must be free and the plan may stop
    // instances to restart them; install starts nothing, so it refuses a plan that stops any.
    bool starts_now = true;
};

struct RegisteredProject {
    Registration registration;
    ChangePlan plan;
    std::uint64_t since_usec = 0; // CLOCK_REALTIME before anything changed, for the journal
};

// The caller holds the project's lock. Throws Failure, having printed every problem, when a
// check fails; nothing is changed then.
RegisteredProject register_project(const ComposeFile& compose, const Paths& paths,
                                   SystemdManager& manager, const RegisterRequest& request);

} // namespace holos::ctl
