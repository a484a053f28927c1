// Registrations: a project is "registered" when a snapshot of it sits in a projects
// directory: /run/holos/projects/<name>/ after `up` (forgotten at reboot), or
// /etc/holos/projects/<name>/ after `install` (read again at every boot). The generator
// turns every registration into units; holosctl writes and removes them.
//
// A project is registered in one place only. Moving it (install, uninstall) writes the new
// place first and then removes the old one; if both exist (a crash between the two steps),
// the installed one counts and the next write or removal clears the other.
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
    Lifetime lifetime = Lifetime::runtime; // where it lives; not stored in the file
    bool enabled = false; // installed projects only: started at boot (install --enable)
};

// The ports allocated for one instance (empty when it has none).
AllocatedPorts allocated_ports_of(const Registration& registration, const std::string& instance);

inline constexpr const char* kSnapshotFileName = "holos.yaml";
inline constexpr const char* kRegistrationFileName = "registration.json";

std::string registration_to_json(const Registration& registration);
// Throws Error on malformed input; `origin` names the file in the message.
Registration registration_from_json(std::string_view json, const std::string& origin);

// Replaces the whole registration directory in the place its lifetime names at once:
// readers see the old snapshot or the new one, never a mix. A registration of the project
// in the other place is removed afterwards. Throws Error.
void write_registration(const Paths& paths, const Registration& registration,
                        std::string_view compose_text);

// Names of the registered projects of both lifetimes, sorted, each once. A missing projects
// directory means none.
std::vector<std::string> registered_projects(const Paths& paths);

// The directory that holds a project's registration: the installed one if it exists, else
// the runtime one (which need not exist).
std::filesystem::path registration_dir(const Paths& paths, const std::string& project);

// The compose file snapshot of a registration, in the place its lifetime names.
std::filesystem::path snapshot_file(const Paths& paths, const Registration& registration);

// Reads registration.json of a project, with `lifetime` set from where it was found.
// Throws Error when missing or malformed.
Registration read_registration(const Paths& paths, const std::string& project);

// Removes a registration from both places; a missing one is not an error. Throws Error.
void remove_registration(const Paths& paths, const std::string& project);

} // namespace holos
