// The confinement of instance units: the systemd sandbox QEMU runs in, which depends on the
// manager (system or user) and on the accelerator.
//
// Under the system manager QEMU runs as a dynamic user of its own per instance
// (DynamicUser=), so a guest that breaks out of QEMU is an unprivileged user that can touch
// neither the host nor the other instances. Its state directory stays where it is
// (/var/lib/holos/instances/P/S-I, so disks stay on whatever holds /var/lib/holos, which
// StateDirectory= would not guarantee): the privileged steps around QEMU hand it to the
// instance's user before the start and take it back to root after the stop, so a dynamic
// UID that systemd later gives to another unit owns nothing. Under a user manager QEMU runs
// as the user, and the same namespace and system call restrictions apply (PrivateUsers=
// makes them available there). Every setting here was checked with a guest booting under TCG.
#pragma once

#include "paths.hpp"
#include "project.hpp"
#include "unit_file.hpp"

#include <string>

namespace holos {

struct SandboxInput {
    const Paths& paths;
    const Project& project;
    const Service& service;
    std::string accel; // the instance's: "kvm" or "tcg"
};

// Appends the sandbox settings to the [Service] section being built.
void add_instance_sandbox(UnitFileBuilder& unit, const SandboxInput& input);

// The dynamic user of a service's instances, with %i standing for the instance number:
// holos-P-S-%i, or holos-HASH-%i when that would be longer than the 31 characters systemd
// allows for a user name.
std::string instance_user(const Project& project, const Service& service);

} // namespace holos
