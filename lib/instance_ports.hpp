// The host side of an instance's port forwards. A fixed mapping binds its host port plus the
// replica index; a mapping without a host port ("80") gets a free port at `up`, recorded in
// the registration so it stays the same while the project is registered.
#pragma once

#include "project.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace holos {

// Allocated host ports of one instance, keyed by port_key().
using AllocatedPorts = std::map<std::string, std::uint16_t>;

// "80/tcp": identifies a mapping within a service.
std::string port_key(const PortMapping& port);

// The host port replica `index` binds for `port`; unset when it is allocated and not yet known.
std::optional<std::uint16_t> host_port(const PortMapping& port, int index,
                                       const AllocatedPorts& allocated);

} // namespace holos
