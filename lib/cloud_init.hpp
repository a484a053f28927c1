// The cloud-init NoCloud seed of one instance: user-data, meta-data and network-config,
// emitted with a YAML emitter so no value from holos.yaml can change the documents' shape.
#pragma once

#include "dockerfile_seed.hpp"
#include "project.hpp"
#include "project_network.hpp"
#include "seed_iso.hpp"

#include <string>
#include <vector>

namespace holos {

struct SeedInput {
    const Project& project;
    const Service& service;
    int index = 0;
    std::string public_key; // the project's key, authorised for the login user
    const ProjectNetwork* network = nullptr; // unset: no project network NIC, no hosts file
    const DockerfileSeed* dockerfile = nullptr; // the service's build steps, if it has some
};

// With a network, /etc/hosts is rewritten at every boot (a bootcmd), so a guest learns of
// added or removed peers when it restarts, without being provisioned again.
std::string user_data(const SeedInput& input);
std::string network_config(const SeedInput& input);

// Derived from the provisioning inputs (user-data and network-config), so cloud-init runs
// its once-per-instance steps again exactly when those change, and not on a plain restart.
// The hosts file is left out: peers coming and going is no reason to provision again (which
// would also replace the guest's SSH host keys).
std::string instance_id(const SeedInput& input);

std::string meta_data(const SeedInput& input);

// The three seed files, ready for write_seed_iso, and the instance id they carry, rendered
// together so that network-config and the id are derived once for both.
struct SeedContent {
    std::string instance_id;
    std::vector<SeedFile> files;
};
SeedContent seed_content(const SeedInput& input);

} // namespace holos
