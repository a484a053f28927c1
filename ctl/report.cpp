#include "report.hpp"

#include "journal.hpp"
#include "service_graph.hpp"
#include "unit_graph.hpp"
#include "unit_names.hpp"

#include <iostream>

namespace holos::ctl {
namespace {

constexpr size_t kJournalLinesOnFailure = 15;

void explain_failure(const InstanceUnit& instance, const UnitState& state, Scope scope,
                     std::uint64_t since) {
    std::cerr << "holosctl: " << instance.instance << " (" << state.name << ") is "
              << state.active_state << " (result: "
              << (state.result.empty() ? "unknown" : state.result) << "); last messages:\n";
    for (const std::string& line :
         unit_journal_tail(scope, state.name, kJournalLinesOnFailure, since)) {
        std::cerr << "    " << line << "\n";
    }
}

// An instance whose image could not be pulled fails with "dependency"; the reason is in the
// image unit's journal, so that is what gets shown.
void explain_failed_pulls(const Project& project, SystemdManager& manager, Scope scope,
                          std::uint64_t since) {
    for (const ImageUnit& image : image_units(project)) {
        UnitState state = manager.unit_state(image.unit);
        if (state.active_state != "failed") {
            continue;
        }
        std::cerr << "holosctl: image " << image.reference.str() << " (" << image.unit
                  << ") failed (result: " << (state.result.empty() ? "unknown" : state.result)
                  << "); last messages:\n";
        for (const std::string& line :
             unit_journal_tail(scope, image.unit, kJournalLinesOnFailure, since)) {
            std::cerr << "    " << line << "\n";
        }
    }
}

// An instance with a healthcheck is up once its health unit is: a probe passed.
bool health_passed(const Project& project, const InstanceUnit& instance,
                   SystemdManager& manager, Scope scope, std::uint64_t since) {
    UnitState health =
        manager.unit_state(health_unit(project.name, instance.service->name, instance.index));
    if (health.active_state == "active") {
        return true;
    }
    explain_failure(instance, health, scope, since);
    return false;
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
                      SystemdManager& manager, Scope scope, std::uint64_t since) {
    bool all_active = true;
    explain_failed_pulls(project, manager, scope, since);
    for (const InstanceUnit& instance : instance_units(project)) {
        UnitState state = manager.unit_state(instance.unit);
        if (state.active_state != "active") {
            all_active = false;
            explain_failure(instance, state, scope, since);
            continue;
        }
        bool probed = has_health_probe(*instance.service);
        if (probed && !health_passed(project, instance, manager, scope, since)) {
            all_active = false;
            continue;
        }
        std::string line = project.name + "/" + instance.instance +
                           (probed ? " running, healthy" : " running");
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
        std::cout << line << "\n";
    }
    return all_active;
}

} // namespace holos::ctl
