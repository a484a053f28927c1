// Port mappings in holos.yaml: the "[IP:][HOST:]GUEST[/tcp|/udp]" grammar with ranges, and
// the host port checks that can only run once every service, with its replica count, is read.
#pragma once

#include "diagnostics.hpp"
#include "parse_values.hpp"
#include "project.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos::parsing {

// The most ports one range may expand to.
inline constexpr int kMaxPortRange = 100;

// "GUEST", "HOST:GUEST" or "IP:HOST:GUEST" (IPv4; HOST may be empty there), each port a number
// or a range "A-B" (host and guest ranges of equal length), with an optional "/tcp" or "/udp".
// Returns one mapping per port, or nothing with `problem` set to a message.
std::optional<std::vector<PortMapping>> parse_port_mappings(std::string_view text,
                                                            std::string& problem);

// True for text that YAML 1.1 reads as a base-60 integer when unquoted: "22:22", "1:30:00".
bool is_base60_number(std::string_view text);

// Reports mappings whose last replica would pass port 65535, and host addresses claimed twice
// for the same protocol anywhere in the project. `places[i]` locates the i-th mapping of the
// project, counting through services in order and their ports in order.
void check_host_ports(const Project& project, const std::vector<Place>& places,
                      Diagnostics& diagnostics);

} // namespace holos::parsing
