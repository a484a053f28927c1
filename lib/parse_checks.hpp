// Checks across services, run once the whole file is read: dependencies and their cycles.
#pragma once

#include "parse_reader.hpp"

namespace holos::parsing {

// Resolves depends_on: every name is a service, never the service itself, conditions fit the
// dependency's healthcheck (and list-form ones are chosen from it), and there is no cycle.
void check_dependencies(Parser& parser, Project& project);

} // namespace holos::parsing
