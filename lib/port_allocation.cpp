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

// One host port an instance needs: its SSH forward (no mapping), or a "GUEST"-only mapping.
struct WantedPort {
    std::string instance;
    const PortMapping* mapping = nullptr;
};

std::vector<WantedPort> wanted_ports(const Project& project) {
    std::vector<WantedPort> wanted;
    for (const InstanceUnit& instance : instance_units(project)) {
        wanted.push_back({instance.instance, nullptr});
        for (const PortMapping& port : instance.service->ports) {
            if (port.host_port == 0) {
                wanted.push_back({instance.instance, &port});
            }
        }
    }
    return wanted;
}

const std::uint16_t* previous_port(const Registration& previous, const WantedPort& wanted) {
    if (wanted.mapping == nullptr) {
        return find_in(previous.ssh_ports, wanted.instance);
    }
    const AllocatedPorts* kept = find_in(previous.allocated_ports, wanted.instance);
    return kept != nullptr ? find_in(*kept, port_key(*wanted.mapping)) : nullptr;
}

void assign(Registration& registration, const WantedPort& wanted, std::uint16_t port) {
    if (wanted.mapping == nullptr) {
        registration.ssh_ports[wanted.instance] = port;
    } else {
        registration.allocated_ports[wanted.instance][port_key(*wanted.mapping)] = port;
    }
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

// Kept ports are placed first, so a fresh pick cannot take one that an instance which is not
// running now still expects.
void allocate_ports(const Project& project, const Registration& previous,
                    std::set<std::uint16_t> in_use, Registration& registration) {
    std::vector<WantedPort> wanted = wanted_ports(project);
    std::vector<const WantedPort*> unplaced;
    for (const WantedPort& port : wanted) {
        const std::uint16_t* kept = previous_port(previous, port);
        if (kept != nullptr && in_use.insert(*kept).second) {
            assign(registration, port, *kept);
        } else {
            unplaced.push_back(&port);
        }
    }
    for (const WantedPort* port : unplaced) {
        std::string protocol = port->mapping ? port->mapping->protocol : "tcp";
        std::string ip = port->mapping ? port->mapping->host_ip : "127.0.0.1";
        std::uint16_t chosen = pick_free_port(protocol, ip, in_use);
        in_use.insert(chosen);
        assign(registration, *port, chosen);
    }
}

} // namespace holos
