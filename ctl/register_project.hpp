// Registering a compose file, the part `up` and `install` share: validate it, check what
// can be checked before anything changes, keep or allocate its ports, write the snapshot,
// reload, and stop and forget the instances the file no longer has. (Implemented in
// verb_up.cpp, beside the start that follows it there.)
#pragma once

#include "context.hpp"
#include "project_changes.hpp"

#include "registry.hpp"
#include "systemd_manager.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace holos::ctl {

// Where the registration goes: `up` keeps a registered project where it is (under the
// runtime directory when new); `install` puts it under the config directory.
struct Placement {
    bool install = false;
    bool enable = false; // with install: started at boot
};

struct RegisteredProject {
    ComposeFile compose;
    Registration registration;
    ProjectChanges changes;
    std::uint64_t since_usec = 0; // CLOCK_REALTIME before anything changed, for the journal
};

// Throws Failure, having printed every problem, when the file or a check fails; nothing is
// changed then. Host ports are checked only when `check_ports` (the project starts now).
RegisteredProject register_project(const std::string& file, const Paths& paths,
                                   SystemdManager& manager, Placement placement, bool check_ports);

} // namespace holos::ctl
