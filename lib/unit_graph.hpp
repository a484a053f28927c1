// The unit graph of a project, as files: pure (no I/O, no clock, no environment), so the
// same input always gives byte-identical units and golden tests can pin them.
//
// For project P with service S and replicas N:
//   holos-P.target                  the project; wants every instance and health unit
//   holos-P-keys.service            oneshot: creates the project's SSH key pair if missing
//   holos-P-image@.service          oneshot template: pulls a store image if it is missing;
//                                   instances of S require holos-P-image@NAME:TAG.service
//   holos-P-volume-V.service        oneshot: creates named volume V's qcow2 if missing
//   holos-P-S@.service              template: preparation, stop, edges and sandbox of S's
//                                   instances
//   holos-P-S@I.service.d/50-qemu.conf   per-instance drop-in holding the QEMU command line
//   holos-P-S_console@.service      template: copies an instance's serial console to the journal
//   holos-P-S_health@.service       template: S's healthcheck, when it has one
//   holos-P-S_virtiofsK@.socket/.service  template: bind mount K of S, served by virtiofsd
//   holos-P.target.wants/holos-P-S@I.service -> ../holos-P-S@.service
// and for a project installed and enabled at boot:
//   multi-user.target.wants/holos-P.target (default.target.wants/ for a user manager)
//   holos.target.wants/holos-P.target      (holos.target: every project started at boot)
//
// depends_on becomes Requires= and After= on every replica of the dependency: its instance
// units (service_started; service_completed_successfully, whose instances are then oneshots
// that end when the guest powers off) or its health units (service_healthy).
#pragma once

#include "image_reference.hpp"
#include "instance_ports.hpp"
#include "paths.hpp"
#include "project.hpp"
#include "project_network.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace holos {

struct GeneratedFile {
    std::string path; // relative to the output directory
    std::string content;
};

struct GeneratedLink {
    std::string path;   // relative to the output directory
    std::string target; // what the symlink points to
};

struct UnitSet {
    std::vector<GeneratedFile> files;
    std::vector<GeneratedLink> links;
};

struct GraphContext {
    Paths paths;
    std::string accel;
    std::string libexec_dir;
    std::string qemu_binary;
    std::filesystem::path source_path;              // goes into SourcePath=
    std::map<std::string, std::uint16_t> ssh_ports;        // instance -> host port
    std::map<std::string, AllocatedPorts> allocated_ports; // instance -> its allocations
    std::optional<ProjectNetwork> network = std::nullopt;  // unset: the uplink NIC only
    std::string virtiofsd_binary = "/usr/lib/qemu/virtiofsd";
    bool health_bypass = false; // holos.conf health_bypass: probes pass without SSH
    bool start_at_boot = false; // an installed project enabled at boot
};

UnitSet project_units(const Project& project, const GraphContext& context);

// The target a manager reaches at boot: multi-user.target, or default.target for a user.
std::string boot_target(Scope scope);

// Every unit name the project's graph defines (templates and the instances in use), for
// detecting two projects that would write the same unit.
std::vector<std::string> project_unit_names(const Project& project);

// Every unit a running project may have loaded: the target first (stopping it stops the
// instances in reverse dependency order), then the keys and volume units, then each
// instance's own units.
std::vector<std::string> loaded_unit_names(const Project& project);

} // namespace holos

namespace holos {

struct InstanceUnit {
    const Service* service;
    int index;
    std::string instance; // web-0
    std::string unit;     // holos-hello-web@0.service
};

// Every instance of the project in file order, with its unit name.
std::vector<InstanceUnit> instance_units(const Project& project);

// The units whose journal entries make up an instance's log: its own and its companions'.
std::vector<std::string> instance_log_units(const std::string& project,
                                            const InstanceUnit& instance);

} // namespace holos

namespace holos {

struct ImageUnit {
    ImageReference reference; // canonical
    std::string unit;         // holos-hello-image@debian:12.service
};

// The store images the project's services boot (not image files), each once, in file order,
// with the unit that makes sure the store has it.
std::vector<ImageUnit> image_units(const Project& project);

} // namespace holos
