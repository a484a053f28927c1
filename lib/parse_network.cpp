// A subnet is taken only as its exact network address ("10.10.0.0/24", not "10.10.0.1/24"),
// so the file says what the guests get. It must not overlap the user-mode network every
// guest also has, or replies to the outside would leave through the wrong NIC, and it stays
// within unicast space a guest can configure.
#include "parse_network.hpp"

#include "project_network.hpp"

#include <array>

namespace holos::parsing {
namespace {

// Below /8 two addresses could share the low 24 bits the segment's MAC addresses use.
constexpr int kMinPrefixLength = 8;
constexpr int kMaxPrefixLength = 30;

struct NamedRange {
    Ipv4Subnet subnet;
    const char* name;
};

constexpr std::array kUnusable = {
    NamedRange{{0x00000000, 8}, "0.0.0.0/8"},
    NamedRange{{0x7f000000, 8}, "127.0.0.0/8 (loopback)"},
    NamedRange{{0xa9fe0000, 16}, "169.254.0.0/16 (link-local)"},
    NamedRange{{0xe0000000, 3}, "224.0.0.0/3 (multicast and reserved)"},
};

constexpr std::array kPrivate = {
    Ipv4Subnet{0x0a000000, 8},
    Ipv4Subnet{0xac100000, 12},
    Ipv4Subnet{0xc0a80000, 16},
};

// Checks that need only the subnet itself; returns false after reporting an error.
bool check_subnet(Parser& parser, const Ipv4Subnet& subnet, const Place& at) {
    std::string text = quote(format_subnet(subnet));
    if (subnets_overlap(subnet, kUserNetwork)) {
        error(parser, at,
              text + " overlaps " + format_subnet(kUserNetwork) +
                  ", the guests' user-mode network (outbound traffic and port forwards)");
        return false;
    }
    for (const NamedRange& range : kUnusable) {
        if (subnets_overlap(subnet, range.subnet)) {
            error(parser, at, text + " overlaps " + range.name + ", which guests cannot use");
            return false;
        }
    }
    bool is_private = false;
    for (const Ipv4Subnet& range : kPrivate) {
        is_private = is_private || subnet_contains(range, subnet.network);
    }
    if (!is_private) {
        warning(parser, at,
                text + " is not a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); "
                       "guests cannot reach public hosts with these addresses, using it anyway");
    }
    return true;
}

void read_subnet(Parser& parser, const Node& node, const Place& at, NetworkSpec& network) {
    std::optional<std::string> text = read_nonempty_string(parser, node, at);
    if (!text) {
        return;
    }
    std::optional<Ipv4Prefix> prefix = parse_ipv4_prefix(*text);
    if (!prefix) {
        error(parser, at,
              "expected a subnet as \"ADDRESS/LENGTH\", such as \"10.10.0.0/24\", got " +
                  quote(*text));
        return;
    }
    if (prefix->prefix_length < kMinPrefixLength || prefix->prefix_length > kMaxPrefixLength) {
        error(parser, at,
              "expected a prefix length from /" + std::to_string(kMinPrefixLength) + " to /" +
                  std::to_string(kMaxPrefixLength) + ", got " + quote(*text));
        return;
    }
    Ipv4Subnet subnet{prefix->address & subnet_mask(prefix->prefix_length), prefix->prefix_length};
    if (subnet.network != prefix->address) {
        error(parser, at,
              quote(*text) + " has host bits set; the subnet is " + quote(format_subnet(subnet)));
        return;
    }
    if (check_subnet(parser, subnet, at)) {
        network.subnet = subnet;
        parser.subnet_place = at;
    }
}

constexpr Field<NetworkSpec> kNetworkFields[] = {
    {"subnet", read_subnet},
};

} // namespace

void read_project_network(Parser& parser, const Node& node, const Place& at, Project& project) {
    read_fields(parser, node, at, kNetworkFields, project.network);
}

void check_network_size(Parser& parser, const Project& project, const Place& root) {
    std::uint64_t instances = 0;
    for (const Service& service : project.services) {
        instances += static_cast<std::uint64_t>(service.replicas);
    }
    std::uint64_t room = address_capacity(project.network.subnet);
    if (instances <= room) {
        return;
    }
    error(parser, parser.subnet_place.value_or(root),
          "the project has " + std::to_string(instances) + " instances, but subnet " +
              quote(format_subnet(project.network.subnet)) + " has addresses for " +
              std::to_string(room) + (parser.subnet_place ? "" : "; set network.subnet"));
}

std::vector<std::string> network_keys() {
    return keys_of(kNetworkFields);
}

} // namespace holos::parsing
