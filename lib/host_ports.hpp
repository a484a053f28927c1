// Host ports: checking that a forward can bind before QEMU tries, and picking free ports
// for the SSH forwards.
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace holos {

// True when a socket of `protocol` ("tcp" or "udp") can bind ip:port right now (with
// SO_REUSEADDR, as QEMU binds). Sets `reason` to the error text otherwise.
bool port_free(const std::string& protocol, const std::string& ip, std::uint16_t port,
               std::string& reason);

// A port of `protocol` that is free on `ip` now, chosen by the kernel, not in `avoid`.
// Throws Error.
std::uint16_t pick_free_port(const std::string& protocol, const std::string& ip,
                             const std::set<std::uint16_t>& avoid);

} // namespace holos
