// Choosing host ports at `up`: one SSH forward per instance, and one host port for each
// mapping given without one ("80"). Ports chosen by an earlier `up` of the same project are
// kept, so addresses stay stable while the project is registered.
#pragma once

#include "project.hpp"
#include "registry.hpp"

#include <cstdint>
#include <set>

namespace holos {

// Every host port the project's fixed mappings bind, over all replicas.
std::set<std::uint16_t> fixed_host_ports(const Project& project);

// Every host port recorded in a registration (SSH and allocated forwards).
std::set<std::uint16_t> registered_host_ports(const Registration& registration);

// Fills registration.ssh_ports and registration.allocated_ports. `previous` is the project's
// last registration (empty maps when none); its ports are kept unless `in_use` (the file's
// fixed ports, other projects' ports) now has them, and new ports avoid `in_use`. The SSH
// forward follows the same rules as a "22" mapping would. Throws Error.
void allocate_ports(const Project& project, const Registration& previous,
                    std::set<std::uint16_t> in_use, Registration& registration);

} // namespace holos
