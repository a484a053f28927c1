// The "healthcheck" section of a service, in compose's syntax.
#pragma once

#include "parse_reader.hpp"

namespace holos::parsing {

void read_healthcheck(Parser& parser, const Node& node, const Place& at, Service& service);

std::vector<std::string> healthcheck_keys();

} // namespace holos::parsing
