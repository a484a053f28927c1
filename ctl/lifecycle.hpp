// Bringing a project up from its compose file and taking it down again, as `holosctl up`
// and `down` do; `run` uses both for the file it writes.
#pragma once

#include "context.hpp"
#include "target.hpp"

#include <string>

namespace holos::ctl {

// Validates, registers and starts the project in `file` (empty: ./holos.yaml), reporting
// each instance. Returns the exit status; throws Failure.
int bring_up(const std::string& file, const GlobalOptions& global);

// Stops the chosen project, unregisters it and removes its instance disks; a one-off VM of
// `run` loses its compose file and key as well. Returns the exit status; throws Failure.
int take_down(const ProjectChoice& choice, const GlobalOptions& global);

} // namespace holos::ctl
