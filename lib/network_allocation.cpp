#include "network_allocation.hpp"

#include "error.hpp"
#include "qemu_args.hpp"
#include "unit_graph.hpp"

#include <algorithm>

namespace holos {
namespace {

constexpr std::uint32_t kGroupBase = 0xefc00000; // 239.192.0.0
constexpr std::uint16_t kFirstPort = 20000;
constexpr std::uint16_t kPortCount = 10000;
constexpr int kMaxAttempts = 256;

bool taken(const Segment& candidate, const std::vector<Segment>& others) {
    return std::any_of(others.begin(), others.end(), [&](const Segment& other) {
        return other.group == candidate.group || other.port == candidate.port;
    });
}

bool usable(const ProjectNetwork& network, std::uint32_t address) {
    return address >= first_instance_address(network.subnet) &&
           address <= last_instance_address(network.subnet);
}

} // namespace

Segment derived_segment(const std::string& project, int attempt) {
    std::uint64_t hash = stable_hash("holos-segment/" + project + "/" + std::to_string(attempt));
    std::uint32_t group = kGroupBase | static_cast<std::uint32_t>(hash & 0xffff);
    auto port = static_cast<std::uint16_t>(kFirstPort + (hash >> 16) % kPortCount);
    return {format_ipv4(group), port};
}

Segment choose_segment(const std::string& project, const std::optional<Segment>& previous,
                       const SegmentsInUse& in_use) {
    // The project's own QEMUs may hold the previous port, so only registrations count here.
    if (previous && !taken(*previous, in_use.registered)) {
        return *previous;
    }
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
        Segment candidate = derived_segment(project, attempt);
        if (!taken(candidate, in_use.registered) &&
            !in_use.udp_ports_bound.contains(candidate.port)) {
            return candidate;
        }
    }
    throw Error("choosing a network segment for project " + project + ": the first " +
                std::to_string(kMaxAttempts) +
                " candidate multicast groups and ports are all in use");
}

std::map<std::string, std::uint32_t> allocate_addresses(const Project& project,
                                                        const ProjectNetwork* previous) {
    ProjectNetwork network{project.network.subnet, {}, {}};
    std::set<std::uint32_t> used;
    std::vector<std::string> unplaced;
    for (const InstanceUnit& instance : instance_units(project)) {
        std::optional<std::uint32_t> kept =
            previous ? instance_address(*previous, instance.instance) : std::nullopt;
        if (kept && usable(network, *kept) && used.insert(*kept).second) {
            network.addresses[instance.instance] = *kept;
        } else {
            unplaced.push_back(instance.instance);
        }
    }
    std::uint32_t next = first_instance_address(network.subnet);
    for (const std::string& instance : unplaced) {
        while (used.contains(next) && usable(network, next)) {
            ++next;
        }
        if (!usable(network, next)) {
            throw Error("project " + project.name + ": subnet " + format_subnet(network.subnet) +
                        " has no address left for " + instance);
        }
        used.insert(next);
        network.addresses[instance] = next;
    }
    return network.addresses;
}

ProjectNetwork allocate_network(const Project& project, const ProjectNetwork* previous,
                                const SegmentsInUse& in_use) {
    std::optional<Segment> previous_segment;
    if (previous != nullptr) {
        previous_segment = previous->segment;
    }
    return {project.network.subnet, choose_segment(project.name, previous_segment, in_use),
            allocate_addresses(project, previous)};
}

} // namespace holos
