// One service of holos.yaml: its table of keys and the readers of its direct values.
#pragma once

#include "parse_reader.hpp"

namespace holos::parsing {

// Reads the service `name` from `node` into `service`; records its places in parser.notes.
void read_service(Parser& parser, const std::string& name, const Node& node, const Place& at,
                  Service& service);

std::vector<std::string> service_keys();
std::vector<std::string> dependency_keys();

} // namespace holos::parsing
