// Printing the state of a project's instances after a start.
#pragma once

#include "paths.hpp"
#include "project.hpp"
#include "registry.hpp"
#include "systemd_manager.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace holos::ctl {

// How the start jobs of the units that a start pulled in ended: unit -> job result ("done",
// "failed", "dependency", ...).
using JobResults = std::map<std::string, std::string>;

// One line per instance on stdout; for an instance that is not active, or whose health unit
// is not (its probe never passed), that unit's result and last journal lines on stderr. A unit
// whose start job is in `jobs` as "done" has started; the manager is asked about the others.
// Returns true when every instance is active and every health unit ready.
bool report_instances(const Project& project, const Registration& registration,
                      SystemdManager& manager, Scope scope, std::uint64_t since_realtime_usec,
                      const JobResults& jobs);

// "127.0.0.1:8080->80/tcp, 127.0.0.1:8081->81/tcp" for replica `index` of a service.
std::string describe_ports(const Service& service, int index, const Registration& registration);

} // namespace holos::ctl
