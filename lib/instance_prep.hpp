// Everything an instance needs on disk before QEMU starts: its state directory, its qcow2
// overlay on the base image (created once, kept across restarts) and its seed (rewritten on
// every start, so it always matches the registered file).
#pragma once

#include "image_store.hpp"
#include "paths.hpp"
#include "project.hpp"
#include "project_network.hpp"

#include <string>
#include <vector>

namespace holos {

struct PrepareRequest {
    const Paths& paths;
    const Project& project;
    const Service& service;
    int index = 0;
    std::string public_key;
    std::string qemu_img_binary;
    const ProjectNetwork* network = nullptr; // from the registration, when it has one
    std::filesystem::path sysfs_root = "/sys"; // where PCI devices are checked
};

// Throws Error when the service's vm.disk_size is smaller than its base image: such a disk
// would hide part of the image's filesystem.
void check_disk_size(const Service& service, const ResolvedImage& base,
                     const std::string& qemu_img_binary);

// Returns one line per action taken, for the instance's journal. Throws Error.
std::vector<std::string> prepare_instance(const PrepareRequest& request);

// Removes every instance's overlay, seed and console log of a project. Throws Error.
void remove_instance_state(const Paths& paths, const std::string& project);

} // namespace holos
