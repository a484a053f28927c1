// holos-instance health: the main process of a health unit (Type=notify). It probes the
// guest over SSH with the project key, as holosctl exec would, and tells systemd READY=1 at
// the first passing probe, so the units ordered after it start only then. It keeps probing
// at the interval for as long as the unit runs, and publishes the state as the unit's status
// text ("healthy", "unhealthy: ..."), which systemctl status and holosctl ps show.
#pragma once

#include "paths.hpp"
#include "project.hpp"

#include <string>
#include <vector>

namespace holos {

struct HealthRun {
    Scope scope = Scope::system;
    bool bypass = false; // holos.conf health_bypass: report healthy without probing
    Healthcheck check;
    std::string login; // the guest user the probe runs as
    std::string project;
    std::string service;
    int index = 0;
    std::vector<std::string> command; // run in the guest; a non-zero status fails the probe
};

// Runs until stopped; returns 1 when the instance turned unhealthy before its first pass.
int run_health(const HealthRun& run);

} // namespace holos
