// Volumes: the top-level named volumes, and the mounts a service lists under "volumes".
#pragma once

#include "parse_reader.hpp"

namespace holos::parsing {

void read_project_volumes(Parser& parser, const Node& node, const Place& at, Project& project);
void read_service_volumes(Parser& parser, const Node& node, const Place& at, Service& service);

// Reports references to named volumes that the top level does not declare.
void check_volume_references(Parser& parser, const Project& project);

// Reports named volumes that several instances would open while one of them writes.
void check_volume_sharing(Parser& parser, const Project& project);

std::vector<std::string> named_volume_keys();

} // namespace holos::parsing
