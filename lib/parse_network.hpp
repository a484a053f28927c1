// The top-level "network" mapping: the project segment's subnet.
#pragma once

#include "parse_reader.hpp"

namespace holos::parsing {

void read_project_network(Parser& parser, const Node& node, const Place& at, Project& project);

// Reports a subnet without an address for every instance, at the subnet or, for the default
// one, at `root`; needs the services read.
void check_network_size(Parser& parser, const Project& project, const Place& root);

std::vector<std::string> network_keys();

} // namespace holos::parsing
