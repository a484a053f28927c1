// Bringing a project up from its compose file and taking it down again, as `holosctl up`
// and `down` do; `run` uses both for the file it writes.
#pragma once

#include "context.hpp"
#include "project_changes.hpp"
#include "project_lock.hpp"
#include "target.hpp"

#include <string>

namespace holos::ctl {

struct UpOptions {
    std::string file;      // empty: ./holos.yaml
    bool dry_run = false;  // print the plan only
    RecreateRequest recreate;
    int lock_timeout_s = kDefaultLockWaitS;
};

// Validates the compose file, plans the changes to the registered project (if any), then
// registers and starts it, reporting each instance; with dry_run it prints the plan and
// changes nothing. Returns the exit status; throws Failure.
int bring_up(const UpOptions& options, const GlobalOptions& global);

// Stops the chosen project, unregisters it and removes its instance disks; a one-off VM of
// `run` loses its compose file and key as well. Returns the exit status; throws Failure.
int take_down(const ProjectChoice& choice, const GlobalOptions& global,
              int lock_timeout_s = kDefaultLockWaitS);

} // namespace holos::ctl
