// Choosing a project's network at `up`: its segment (multicast group and port) and an
// address per instance. Both are kept from the project's previous registration where they
// still fit, so a guest's address and its peers' view of it survive restarts and re-ups.
#pragma once

#include "project_network.hpp"

#include <optional>
#include <set>
#include <vector>

namespace holos {

// What the segment must not share with the rest of the host.
struct SegmentsInUse {
    std::vector<Segment> registered;         // of the other registered projects
    std::set<std::uint16_t> udp_ports_bound; // by any socket on the host, on any address
};

// Candidate `attempt` (0, 1, ...) for a project's segment: a group in 239.192.0.0/16 (an
// organisation-local scope) and a port in 20000-29999 (below Linux's ephemeral ports), both
// from a hash of the name, so the same name gets the same segment when nothing else has it.
Segment derived_segment(const std::string& project, int attempt);

// The previous segment if no other registered project has its group or port; otherwise the
// first candidate whose group and port no other project uses and whose port no socket on
// the host binds. Throws Error when none of the candidates is free.
Segment choose_segment(const std::string& project, const std::optional<Segment>& previous,
                       const SegmentsInUse& in_use);

// Addresses of instances in the previous network are kept while they lie inside the subnet;
// new instances get the lowest free ones, in file order. Throws Error when the subnet is
// full (the parser already refuses a file with more instances than addresses).
std::map<std::string, std::uint32_t> allocate_addresses(const Project& project,
                                                        const ProjectNetwork* previous);

ProjectNetwork allocate_network(const Project& project, const ProjectNetwork* previous,
                                const SegmentsInUse& in_use);

} // namespace holos
