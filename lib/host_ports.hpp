// Host ports: checking that a forward can bind before QEMU tries, picking free ports for
// the SSH forwards, and listing the UDP ports in use for choosing network segments.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace holos {

// True when a socket of `protocol` ("tcp" or "udp") can bind ip:port right now (with
// SO_REUSEADDR, as QEMU binds). Sets `reason` to the error text otherwise.
bool port_free(const std::string& protocol, const std::string& ip, std::uint16_t port,
               std::string& reason);

// A port of `protocol` that is free on `ip` now, chosen by the kernel, not in `avoid`.
// Throws Error.
std::uint16_t pick_free_port(const std::string& protocol, const std::string& ip,
                             const std::set<std::uint16_t>& avoid);

// The local ports of the UDP sockets in a /proc/net/udp or /proc/net/udp6 table.
std::set<std::uint16_t> udp_ports_in_table(std::string_view table);

// Every UDP port some socket on the host binds, on any address, from /proc/net/udp and
// /proc/net/udp6 (every user's sockets are listed there). An unreadable table counts as empty.
std::set<std::uint16_t> bound_udp_ports();

} // namespace holos
