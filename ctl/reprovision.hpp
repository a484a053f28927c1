// `up` and a changed Dockerfile: the instances whose disk the next start rebuilds are named
// before anything changes, and running ones are stopped, so the start that follows builds
// their new disk (holos-instance prepare replaces the overlay; see dockerfile_reprovision.hpp).
#pragma once

#include "paths.hpp"
#include "project.hpp"
#include "systemd_manager.hpp"

#include <string>
#include <vector>

namespace holos::ctl {

struct Rebuild {
    std::string instance;
    std::string unit;
};

// Instances with a disk built from other Dockerfile inputs than the file's. Throws Failure
// when a file the Dockerfile copies cannot be read.
std::vector<Rebuild> dockerfile_rebuilds(const Project& project, const Paths& paths);

// Says what happens to each, and stops the running ones; removes them from `stale_units`,
// which would otherwise warn that they keep their old settings.
void stop_for_rebuild(const std::vector<Rebuild>& rebuilds, SystemdManager& manager,
                      std::vector<std::string>& stale_units);

} // namespace holos::ctl
