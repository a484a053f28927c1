// IPv4 addresses and subnets as numbers (host byte order), for the project network's
// addresses: parsing and printing the dotted forms, and the arithmetic allocation needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace holos {

struct Ipv4Subnet {
    std::uint32_t network = 0; // host bits are zero
    int prefix_length = 0;     // 0-32

    bool operator==(const Ipv4Subnet&) const = default;
};

// "10.10.0.2" -> the address; nothing for anything else (no leading zeros, no short forms).
std::optional<std::uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(std::uint32_t address);

// "10.10.0.0/24" as written, host bits included; nothing when it is not ADDRESS/LENGTH.
struct Ipv4Prefix {
    std::uint32_t address = 0;
    int prefix_length = 0;
};
std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view text);

std::uint32_t subnet_mask(int prefix_length);
std::string format_subnet(const Ipv4Subnet& subnet);
bool subnet_contains(const Ipv4Subnet& subnet, std::uint32_t address);
bool subnets_overlap(const Ipv4Subnet& a, const Ipv4Subnet& b);

// The subnet's first and last address are its network and broadcast addresses.
std::uint32_t broadcast_address(const Ipv4Subnet& subnet);

} // namespace holos
