#include "parse_ports.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <map>

namespace holos::parsing {
namespace {

constexpr int kMaxPort = 65535;
constexpr const char* kPortGrammar =
    "expected \"[IP:][HOST:]GUEST[/tcp|/udp]\" with ports or ranges like \"8080-8081:80-81\", got ";

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

std::optional<int> parse_port(std::string_view text) {
    std::optional<long long> port = parse_decimal(text);
    if (!port || *port < 1 || *port > kMaxPort) {
        return std::nullopt;
    }
    return static_cast<int>(*port);
}

// A port or a range "A-B" as [first, last]; `side` ("host" or "guest") names it in messages.
struct PortRange {
    int first = 0;
    int last = 0;
    int size() const { return last - first + 1; }
};

std::optional<PortRange> parse_range(std::string_view text, std::string_view side,
                                     std::string& problem) {
    std::size_t dash = text.find('-');
    std::optional<int> first = parse_port(text.substr(0, dash));
    std::optional<int> last =
        dash == std::string_view::npos ? first : parse_port(text.substr(dash + 1));
    if (!first || !last) {
        problem = "expected a " + std::string(side) +
                  " port between 1 and 65535 or a range like \"8080-8081\", got " + quote(text);
        return std::nullopt;
    }
    if (*last < *first) {
        problem = "the " + std::string(side) + " range " + quote(text) + " ends before it starts";
        return std::nullopt;
    }
    if (*last - *first + 1 > kMaxPortRange) {
        problem = "the " + std::string(side) + " range " + quote(text) + " has more than " +
                  std::to_string(kMaxPortRange) + " ports";
        return std::nullopt;
    }
    return PortRange{*first, *last};
}

// Splits off and checks the "/protocol" suffix.
std::optional<std::string> parse_protocol(std::string_view& text, std::string& problem) {
    std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) {
        return "tcp";
    }
    std::string protocol(text.substr(slash + 1));
    text = text.substr(0, slash);
    if (protocol != "tcp" && protocol != "udp") {
        problem = "unknown protocol " + quote(protocol) + ", expected \"tcp\" or \"udp\"";
        return std::nullopt;
    }
    return protocol;
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

std::string clash_message(const std::string& protocol, int port, const std::string& first,
                          const std::string& second) {
    // "/udp" only: tcp is the default and how users write it.
    std::string prefix = "host port " + std::to_string(port) + (protocol == "udp" ? "/udp" : "");
    if (first == second) {
        return prefix + " is used twice by " + first;
    }
    return prefix + " is used by both " + first + " and " + second;
}

using Claims = std::multimap<std::pair<std::string, int>, HostPortClaim>;

// Claims host_port + N for every replica N; reports the first clash with an earlier claim
// only, since the following replicas usually clash the same way.
void claim_host_ports(const Service& service, const PortMapping& mapping, const Place& at,
                      Claims& claims, Diagnostics& diagnostics) {
    bool reported = false;
    for (int replica = 0; replica < service.replicas; ++replica) {
        std::pair<std::string, int> key{mapping.protocol, mapping.host_port + replica};
        HostPortClaim claim{mapping.host_ip, instance_name(service, replica)};
        auto [begin, end] = claims.equal_range(key);
        auto clash = std::find_if(
            begin, end, [&](const auto& other) { return same_address(other.second.ip, claim.ip); });
        if (clash != end && !reported) {
            diagnostics.error(
                at.mark, at.path,
                clash_message(key.first, key.second, clash->second.instance, claim.instance));
            reported = true;
        }
        claims.emplace(std::move(key), std::move(claim));
    }
}

} // namespace

std::optional<std::vector<PortMapping>> parse_port_mappings(std::string_view text,
                                                            std::string& problem) {
    std::string_view spec = text;
    std::optional<std::string> protocol = parse_protocol(spec, problem);
    if (!protocol) {
        return std::nullopt;
    }
    std::vector<std::string_view> parts = split(spec, ':');
    if (spec.starts_with('[') || parts.size() > 3) {
        bool ipv6 = spec.starts_with('[') || spec.find("::") != std::string_view::npos;
        problem = ipv6 ? "only IPv4 host addresses are supported, got " + quote(text)
                       : kPortGrammar + quote(text);
        return std::nullopt;
    }
    PortMapping base;
    base.protocol = *protocol;
    if (parts.size() == 3 && !is_ipv4(parts[0])) {
        problem = "expected an IPv4 host address (IPv6 is not supported), got " + quote(parts[0]);
        return std::nullopt;
    }
    if (parts.size() == 3) {
        base.host_ip = std::string(parts[0]);
    }

    std::optional<PortRange> guest = parse_range(parts.back(), "guest", problem);
    if (!guest) {
        return std::nullopt;
    }
    std::optional<PortRange> host = PortRange{};
    bool has_host = parts.size() > 1 && !parts[parts.size() - 2].empty();
    if (has_host) {
        host = parse_range(parts[parts.size() - 2], "host", problem);
    }
    if (!host) {
        return std::nullopt;
    }
    if (has_host && host->size() != guest->size()) {
        problem = "the host and guest ranges of " + quote(text) + " differ in length";
        return std::nullopt;
    }

    std::vector<PortMapping> mappings;
    for (int i = 0; i < guest->size(); ++i) {
        PortMapping mapping = base;
        mapping.host_port = static_cast<std::uint16_t>(has_host ? host->first + i : 0);
        mapping.guest_port = static_cast<std::uint16_t>(guest->first + i);
        mappings.push_back(std::move(mapping));
    }
    return mappings;
}

// YAML 1.1 base-60 integers: [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+
bool is_base60_number(std::string_view text) {
    std::vector<std::string_view> parts = split(text, ':');
    auto digits = [](std::string_view part) {
        return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
            return (c >= '0' && c <= '9') || c == '_';
        });
    };
    if (parts.size() < 2 || !digits(parts[0]) || parts[0][0] == '0') {
        return false;
    }
    return std::all_of(parts.begin() + 1, parts.end(), [](std::string_view part) {
        bool one_or_two =
            !part.empty() && part.size() <= 2 &&
            std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
        return one_or_two && (part.size() == 1 || part[0] <= '5');
    });
}

void check_host_ports(const Project& project, const std::vector<Place>& places,
                      Diagnostics& diagnostics) {
    Claims claims;
    std::size_t index = 0;
    for (const Service& service : project.services) {
        for (const PortMapping& mapping : service.ports) {
            const Place& at = places.at(index++);
            if (mapping.host_port == 0) {
                continue; // chosen at "up", free by construction
            }
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
