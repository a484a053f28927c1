// The "vm" and "devices" sections of a service: the virtual hardware.
#pragma once

#include "parse_reader.hpp"

namespace holos::parsing {

void read_vm(Parser& parser, const Node& node, const Place& at, Service& service);
void read_devices(Parser& parser, const Node& node, const Place& at, Service& service);

std::vector<std::string> vm_keys();
std::vector<std::string> device_keys();

} // namespace holos::parsing
