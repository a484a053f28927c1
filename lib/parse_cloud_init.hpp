// The "cloud_init" section of a service: user, packages, files and commands for the guest.
#pragma once

#include "parse_reader.hpp"

namespace holos::parsing {

void read_cloud_init(Parser& parser, const Node& node, const Place& at, Service& service);

// A command as a string (shell form) or a list of strings (exec form).
std::optional<Command> read_command(Parser& parser, const Node& node, const Place& at);

std::vector<std::string> cloud_init_keys();
std::vector<std::string> write_file_keys();

} // namespace holos::parsing
