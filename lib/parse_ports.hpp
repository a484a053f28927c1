// Port mappings in holos.yaml: the "[IP:]HOST:GUEST[/tcp]" grammar, and the host port checks
// that can only run once every service, with its replica count, has been read.
#pragma once

#include "diagnostics.hpp"
#include "parse_values.hpp"
#include "project.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos::parsing {

// "HOST:GUEST" or "IP:HOST:GUEST" with an optional "/tcp"; on failure sets `problem` to a
// message and returns nullopt.
std::optional<PortMapping> parse_port_mapping(std::string_view text, std::string& problem);

// Reports mappings whose last replica would pass port 65535, and host addresses claimed by
// two instances anywhere in the project. `places[i]` locates the i-th mapping of the project,
// counting through services in order and their ports in order.
void check_host_ports(const Project& project, const std::vector<Place>& places,
                      Diagnostics& diagnostics);

} // namespace holos::parsing
