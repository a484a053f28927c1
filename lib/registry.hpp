// Registrations: a project is "registered" when a snapshot of it sits in the runtime
// projects directory (/run/holos/projects/<name>/). The generator turns every registration
// into units; holosctl writes and removes them.
//
// A registration directory holds the compose file as it was at `up` time (holos.yaml) and
// registration.json with where it came from, the values of the variables the file
// interpolated (so the generator, running later in another environment, reads the file
// exactly as `up` did), the host ports allocated for SSH and for "GUEST"-only forwards, and
// the project network's segment and addresses.
#pragma once

#include "instance_ports.hpp"
#include "paths.hpp"
#include "project_network.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos {

struct Registration {
    std::string project;
    std::filesystem::path source_file;              // the user's holos.yaml, absolute
    std::map<std::string, std::string> variables;   // interpolated name -> value
    std::map<std::string, std::uint16_t> ssh_ports; // instance -> host port
    std::map<std::string, AllocatedPorts> allocated_ports; // instance -> its allocations
    std::optional<ProjectNetwork> network = std::nullopt;  // unset in older registrations
};

// The ports allocated for one instance (empty when it has none).
AllocatedPorts allocated_ports_of(const Registration& registration, const std::string& instance);

inline constexpr const char* kSnapshotFileName = "holos.yaml";
inline constexpr const char* kRegistrationFileName = "registration.json";

std::string registration_to_json(const Registration& registration);
// Throws Error on malformed input; `origin` names the file in the message.
Registration registration_from_json(std::string_view json, const std::string& origin);

// Replaces the whole registration directory at once: readers see the old snapshot or the
// new one, never a mix. Throws Error.
void write_registration(const Paths& paths, const Registration& registration,
                        std::string_view compose_text);

// Names of the registered projects, sorted. A missing projects directory means none.
std::vector<std::string> registered_projects(const Paths& paths);

// Reads registration.json of a project. Throws Error when missing or malformed.
Registration read_registration(const Paths& paths, const std::string& project);

// Removes a registration; a missing one is not an error. Throws Error.
void remove_registration(const Paths& paths, const std::string& project);

} // namespace holos
