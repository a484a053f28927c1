// Host TCP ports: checking that a forward can bind before QEMU tries, and picking free ports
// for the SSH forwards.
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace holos {

// True when a TCP socket can bind ip:port right now (with SO_REUSEADDR, as QEMU binds).
// Sets `reason` to the error text otherwise.
bool tcp_port_free(const std::string& ip, std::uint16_t port, std::string& reason);

// A currently free port on 127.0.0.1 chosen by the kernel, not in `avoid`. Throws Error.
std::uint16_t pick_free_port(const std::set<std::uint16_t>& avoid);

} // namespace holos
