#include "parse_ports.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <map>

namespace holos::parsing {
namespace {

constexpr int kMaxPort = 65535;

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        std::size_t end = text.find(separator, start);
        if (end == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, end - start));
        start = end + 1;
    }
}

bool is_ipv4(std::string_view text) {
    in_addr address{};
    // inet_pton takes only the strict dotted quad: no "1.2.3", no octal "010.0.0.1".
    return inet_pton(AF_INET, std::string(text).c_str(), &address) == 1;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
    std::optional<long long> port = parse_decimal(text);
    if (!port || *port < 1 || *port > kMaxPort) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(*port);
}

// Checks the "/protocol" suffix of `text`, if any.
bool check_protocol(std::string_view text, std::string& problem) {
    std::size_t slash = text.find('/');
    std::string_view protocol = slash == std::string_view::npos ? "tcp" : text.substr(slash + 1);
    // UDP forwarding is not implemented yet; rejecting it beats silently not forwarding.
    if (protocol == "udp") {
        problem = "only tcp ports are supported for now, got " + quote(text);
        return false;
    }
    if (protocol != "tcp") {
        problem = "unknown protocol " + quote(protocol) + ", expected \"tcp\"";
        return false;
    }
    return true;
}

bool parse_ports_into(std::string_view host, std::string_view guest, PortMapping& mapping,
                      std::string& problem) {
    std::optional<std::uint16_t> host_port = parse_port(host);
    if (!host_port) {
        problem = "expected a host port between 1 and 65535, got " + quote(host);
        return false;
    }
    std::optional<std::uint16_t> guest_port = parse_port(guest);
    if (!guest_port) {
        problem = "expected a guest port between 1 and 65535, got " + quote(guest);
        return false;
    }
    mapping.host_port = *host_port;
    mapping.guest_port = *guest_port;
    return true;
}

// One host address that one instance binds.
struct HostPortClaim {
    std::string ip;
    std::string instance;
};

// 0.0.0.0 binds every address, so it clashes with any other IP on the same port.
bool same_address(const std::string& a, const std::string& b) {
    return a == b || a == "0.0.0.0" || b == "0.0.0.0";
}

std::string clash_message(int port, const std::string& first, const std::string& second) {
    std::string prefix = "host port " + std::to_string(port);
    if (first == second) {
        return prefix + " is used twice by " + first;
    }
    return prefix + " is used by both " + first + " and " + second;
}

// Claims host_port + N for every replica N; reports the first clash with an earlier claim
// only, since the following replicas usually clash the same way.
void claim_host_ports(const Service& service, const PortMapping& mapping, const Place& at,
                      std::multimap<int, HostPortClaim>& claims, Diagnostics& diagnostics) {
    bool reported = false;
    for (int replica = 0; replica < service.replicas; ++replica) {
        int port = mapping.host_port + replica;
        HostPortClaim claim{mapping.host_ip, instance_name(service, replica)};
        auto [begin, end] = claims.equal_range(port);
        auto clash = std::find_if(
            begin, end, [&](const auto& other) { return same_address(other.second.ip, claim.ip); });
        if (clash != end && !reported) {
            diagnostics.error(at.mark, at.path,
                              clash_message(port, clash->second.instance, claim.instance));
            reported = true;
        }
        claims.emplace(port, std::move(claim));
    }
}

} // namespace

std::optional<PortMapping> parse_port_mapping(std::string_view text, std::string& problem) {
    if (!check_protocol(text, problem)) {
        return std::nullopt;
    }
    std::vector<std::string_view> parts = split(text.substr(0, text.find('/')), ':');
    if (parts.size() != 2 && parts.size() != 3) {
        problem = "expected \"HOST:GUEST\" or \"IP:HOST:GUEST\", got " + quote(text);
        return std::nullopt;
    }

    PortMapping mapping;
    if (parts.size() == 3 && !is_ipv4(parts[0])) {
        problem = "expected an IPv4 address, got " + quote(parts[0]);
        return std::nullopt;
    }
    if (parts.size() == 3) {
        mapping.host_ip = std::string(parts[0]);
    }
    if (!parse_ports_into(parts[parts.size() - 2], parts.back(), mapping, problem)) {
        return std::nullopt;
    }
    return mapping;
}

void check_host_ports(const Project& project, const std::vector<Place>& places,
                      Diagnostics& diagnostics) {
    std::multimap<int, HostPortClaim> claims;
    std::size_t index = 0;
    for (const Service& service : project.services) {
        for (const PortMapping& mapping : service.ports) {
            const Place& at = places.at(index++);
            int last = mapping.host_port + service.replicas - 1;
            if (last > kMaxPort) {
                diagnostics.error(at.mark, at.path,
                                  "host port " + std::to_string(mapping.host_port) + " with " +
                                      std::to_string(service.replicas) +
                                      " replicas needs ports up to " + std::to_string(last) +
                                      ", above 65535");
                continue;
            }
            claim_host_ports(service, mapping, at, claims, diagnostics);
        }
    }
}

} // namespace holos::parsing
