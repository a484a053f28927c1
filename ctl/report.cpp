#include "report.hpp"

#include "journal.hpp"
#include "service_graph.hpp"
#include "unit_graph.hpp"
#include "unit_names.hpp"

#include <iostream>
#include <set>

namespace holos::ctl {
namespace {

constexpr size_t kJournalLinesOnFailure = 15;

// Which of the units the report looks at have started. A unit whose start job ended "done"
// has, and the manager is not asked again: on a host still busy starting VMs that answer
// waits behind all of them. The others are read in one call.
class StartedUnits {
public:
    StartedUnits(SystemdManager& manager, const std::vector<std::string>& units,
                 const JobResults& jobs) {
        std::vector<std::string> unknown;
        for (const std::string& unit : units) {
            auto job = jobs.find(unit);
            if (job != jobs.end() && job->second == "done") {
                started_.insert(unit);
            } else {
                unknown.push_back(unit);
            }
        }
        for (const UnitState& state : manager.unit_states(unknown)) {
            if (state.active_state == "active") {
                started_.insert(state.name);
            } else if (state.active_state == "failed") {
                failed_.insert(state.name);
            }
        }
    }
    bool started(const std::string& unit) const { return started_.contains(unit); }
    bool failed(const std::string& unit) const { return failed_.contains(unit); }

private:
    std::set<std::string> started_;
    std::set<std::string> failed_;
};

// The unit is read again, for its result: only a failed start pays for that.
void explain_failure(const std::string& what, const std::string& unit, SystemdManager& manager,
                     Scope scope, std::uint64_t since) {
    UnitState state = manager.unit_state(unit);
    std::string how = state.active_state == "failed" ? "failed" : "is " + state.active_state;
    std::cerr << "holosctl: " << what << " (" << unit << ") " << how
              << " (result: " << (state.result.empty() ? "unknown" : state.result)
              << "); last messages:\n";
    for (const std::string& line : unit_journal_tail(scope, unit, kJournalLinesOnFailure, since)) {
        std::cerr << "    " << line << "\n";
    }
}

std::vector<std::string> reported_units(const Project& project) {
    std::vector<std::string> units;
    for (const ImageUnit& image : image_units(project)) {
        units.push_back(image.unit);
    }
    for (const InstanceUnit& instance : instance_units(project)) {
        units.push_back(instance.unit);
        if (has_health_probe(*instance.service)) {
            units.push_back(health_unit(project.name, instance.service->name, instance.index));
        }
    }
    return units;
}

std::string running_line(const Project& project, const InstanceUnit& instance,
                         const Registration& registration) {
    bool probed = has_health_probe(*instance.service);
    std::string line =
        project.name + "/" + instance.instance + (probed ? " running, healthy" : " running");
    std::optional<std::uint32_t> address =
        registration.network ? instance_address(*registration.network, instance.instance)
                             : std::nullopt;
    if (address) {
        line += ", ip " + format_ipv4(*address);
    }
    std::string ports = describe_ports(*instance.service, instance.index, registration);
    if (!ports.empty()) {
        line += ", ports " + ports;
    }
    auto ssh = registration.ssh_ports.find(instance.instance);
    if (ssh != registration.ssh_ports.end()) {
        line += ", ssh 127.0.0.1:" + std::to_string(ssh->second);
    }
    return line;
}

} // namespace

std::string describe_ports(const Service& service, int index, const Registration& registration) {
    AllocatedPorts allocated = allocated_ports_of(registration, instance_name(service, index));
    std::string out;
    for (const PortMapping& port : service.ports) {
        std::optional<std::uint16_t> host = host_port(port, index, allocated);
        if (!out.empty()) {
            out += ", ";
        }
        out += port.host_ip + ":" + (host ? std::to_string(*host) : "?") + "->" +
               std::to_string(port.guest_port) + "/" + port.protocol;
    }
    return out;
}

bool report_instances(const Project& project, const Registration& registration,
                      SystemdManager& manager, Scope scope, std::uint64_t since,
                      const JobResults& jobs) {
    StartedUnits units(manager, reported_units(project), jobs);
    // An instance whose image could not be pulled fails with "dependency"; the reason is in
    // the image unit's journal, so that is what gets shown.
    for (const ImageUnit& image : image_units(project)) {
        if (units.failed(image.unit)) {
            explain_failure("image " + image.reference.str(), image.unit, manager, scope, since);
        }
    }
    bool all_active = true;
    for (const InstanceUnit& instance : instance_units(project)) {
        if (!units.started(instance.unit)) {
            all_active = false;
            explain_failure(instance.instance, instance.unit, manager, scope, since);
            continue;
        }
        // An instance with a healthcheck is up once its health unit is: a probe passed.
        if (has_health_probe(*instance.service)) {
            std::string health = health_unit(project.name, instance.service->name, instance.index);
            if (!units.started(health)) {
                all_active = false;
                explain_failure(instance.instance, health, manager, scope, since);
                continue;
            }
        }
        std::cout << running_line(project, instance, registration) << "\n";
    }
    return all_active;
}

} // namespace holos::ctl
