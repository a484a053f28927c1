#include "port_allocation.hpp"

#include "host_ports.hpp"
#include "unit_graph.hpp"

namespace holos {
namespace {

template <typename Map, typename Key>
const typename Map::mapped_type* find_in(const Map& map, const Key& key) {
    auto found = map.find(key);
    return found == map.end() ? nullptr : &found->second;
}

std::uint16_t keep_or_pick(const std::uint16_t* kept, const std::string& protocol,
                           const std::string& ip, std::set<std::uint16_t>& in_use) {
    std::uint16_t port = kept != nullptr ? *kept : pick_free_port(protocol, ip, in_use);
    in_use.insert(port);
    return port;
}

} // namespace

std::set<std::uint16_t> fixed_host_ports(const Project& project) {
    std::set<std::uint16_t> ports;
    for (const Service& service : project.services) {
        for (const PortMapping& port : service.ports) {
            for (int index = 0; port.host_port != 0 && index < service.replicas; ++index) {
                ports.insert(static_cast<std::uint16_t>(port.host_port + index));
            }
        }
    }
    return ports;
}

std::set<std::uint16_t> registered_host_ports(const Registration& registration) {
    std::set<std::uint16_t> ports;
    for (const auto& [instance, port] : registration.ssh_ports) {
        ports.insert(port);
    }
    for (const auto& [instance, allocated] : registration.allocated_ports) {
        for (const auto& [key, port] : allocated) {
            ports.insert(port);
        }
    }
    return ports;
}

void allocate_ports(const Project& project, const Registration& previous,
                    std::set<std::uint16_t> in_use, Registration& registration) {
    for (const InstanceUnit& instance : instance_units(project)) {
        registration.ssh_ports[instance.instance] =
            keep_or_pick(find_in(previous.ssh_ports, instance.instance), "tcp", "127.0.0.1",
                         in_use);
        const AllocatedPorts* kept = find_in(previous.allocated_ports, instance.instance);
        for (const PortMapping& port : instance.service->ports) {
            if (port.host_port != 0) {
                continue;
            }
            std::string key = port_key(port);
            const std::uint16_t* kept_port = kept ? find_in(*kept, key) : nullptr;
            registration.allocated_ports[instance.instance][key] =
                keep_or_pick(kept_port, port.protocol, port.host_ip, in_use);
        }
    }
}

} // namespace holos
