// The project network: every guest has a second NIC on an L2 segment private to its
// project, made of QEMU socket netdevs that exchange Ethernet frames as UDP datagrams to a
// multicast group on the loopback interface (so nothing reaches the LAN, and no root, bridge
// or tap device is needed). Each instance has a static address on the project's subnet and
// a MAC derived from it; every guest's /etc/hosts names all of them.
//
// The segment and the addresses are chosen at `up` (network_allocation) and recorded in
// the registration; everything here derives from that record, without I/O.
#pragma once

#include "ipv4.hpp"
#include "project.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace holos {

// QEMU's user-mode network as every guest sees it on its first NIC.
inline constexpr Ipv4Subnet kUserNetwork{0x0a000200, 24}; // 10.0.2.0/24

// Where a project's frames travel: a multicast group and UDP port on 127.0.0.1.
struct Segment {
    std::string group; // "239.192.12.34"
    std::uint16_t port = 0;

    bool operator==(const Segment&) const = default;
};

struct ProjectNetwork {
    Ipv4Subnet subnet;
    Segment segment;
    std::map<std::string, std::uint32_t> addresses; // instance -> address on the segment
};

// Instances get neither the network address, nor the first host address (.1, the usual
// router address, kept free for a host-side endpoint), nor the broadcast address.
std::uint32_t first_instance_address(const Ipv4Subnet& subnet);
std::uint32_t last_instance_address(const Ipv4Subnet& subnet);
std::uint64_t address_capacity(const Ipv4Subnet& subnet);

std::optional<std::uint32_t> instance_address(const ProjectNetwork& network,
                                              const std::string& instance);

// 52:54:PP:AA:BB:CC, locally administered: PP (never 00, QEMU's prefix that the uplink NIC
// uses) comes from the project name, AA:BB:CC are the low 24 bits of the address, unique
// within the subnet.
std::string segment_mac(const std::string& project, std::uint32_t address);

// Every guest's /etc/hosts: localhost, then one line per instance in file order, naming
// the instance and its service ("10.10.0.4 web-0 web"), so a service name resolves to all
// its replicas.
std::vector<std::string> hosts_lines(const Project& project, const ProjectNetwork& network);

nlohmann::json network_to_json(const ProjectNetwork& network);
// Throws Error on values that are not addresses, nlohmann's exceptions on a wrong shape.
ProjectNetwork network_from_json(const nlohmann::json& json);

} // namespace holos
