#include "project_network.hpp"

#include "error.hpp"
#include "qemu_args.hpp"
#include "unit_graph.hpp"

#include <fmt/format.h>

namespace holos {
namespace {

constexpr const char* kHostsHeader =
    "# Written by holos at every boot from the project's network; edits do not last.";

// The lines Debian's own /etc/hosts starts with.
constexpr const char* kLocalHosts[] = {
    "127.0.0.1 localhost",
    "::1 localhost ip6-localhost ip6-loopback",
    "ff02::1 ip6-allnodes",
    "ff02::2 ip6-allrouters",
};

std::uint32_t address_from_text(const std::string& text, const std::string& what) {
    std::optional<std::uint32_t> address = parse_ipv4(text);
    if (!address) {
        throw Error(what + ": \"" + text + "\" is not an IPv4 address");
    }
    return *address;
}

} // namespace

std::uint32_t first_instance_address(const Ipv4Subnet& subnet) {
    return subnet.network + 2;
}

std::uint32_t last_instance_address(const Ipv4Subnet& subnet) {
    return broadcast_address(subnet) - 1;
}

std::uint64_t address_capacity(const Ipv4Subnet& subnet) {
    std::uint64_t size = std::uint64_t{1} << (32 - subnet.prefix_length);
    return size > 3 ? size - 3 : 0;
}

std::optional<std::uint32_t> instance_address(const ProjectNetwork& network,
                                              const std::string& instance) {
    auto found = network.addresses.find(instance);
    if (found == network.addresses.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::string segment_mac(const std::string& project, std::uint32_t address) {
    std::uint64_t project_byte = 1 + stable_hash(project) % 255;
    return fmt::format("52:54:{:02x}:{:02x}:{:02x}:{:02x}", project_byte, (address >> 16) & 0xff,
                       (address >> 8) & 0xff, address & 0xff);
}

std::vector<std::string> hosts_lines(const Project& project, const ProjectNetwork& network) {
    std::vector<std::string> lines = {kHostsHeader};
    lines.insert(lines.end(), std::begin(kLocalHosts), std::end(kLocalHosts));
    for (const InstanceUnit& instance : instance_units(project)) {
        if (std::optional<std::uint32_t> address = instance_address(network, instance.instance)) {
            lines.push_back(format_ipv4(*address) + " " + instance.instance + " " +
                            instance.service->name);
        }
    }
    return lines;
}

nlohmann::json network_to_json(const ProjectNetwork& network) {
    nlohmann::json addresses = nlohmann::json::object();
    for (const auto& [instance, address] : network.addresses) {
        addresses[instance] = format_ipv4(address);
    }
    return {{"subnet", format_subnet(network.subnet)},
            {"group", network.segment.group},
            {"port", network.segment.port},
            {"addresses", addresses}};
}

ProjectNetwork network_from_json(const nlohmann::json& json) {
    ProjectNetwork network;
    std::string subnet = json.at("subnet").get<std::string>();
    std::optional<Ipv4Prefix> prefix = parse_ipv4_prefix(subnet);
    if (!prefix) {
        throw Error("network.subnet: \"" + subnet + "\" is not a subnet");
    }
    network.subnet = {prefix->address, prefix->prefix_length};
    network.segment.group = json.at("group").get<std::string>();
    address_from_text(network.segment.group, "network.group");
    network.segment.port = json.at("port").get<std::uint16_t>();
    for (const auto& [instance, address] :
         json.at("addresses").get<std::map<std::string, std::string>>()) {
        network.addresses[instance] = address_from_text(address, "network.addresses." + instance);
    }
    return network;
}

} // namespace holos
