// A Dockerfile describes how to build a disk from its base image, so a change to it (or to a
// file it copies) means a new disk: the digest of the inputs an overlay was built from is
// kept beside it, and an overlay built from other inputs is replaced. Volumes are not disks
// of the instance and are kept.
#pragma once

#include "dockerfile_seed.hpp"
#include "paths.hpp"
#include "project.hpp"

#include <optional>
#include <string>
#include <vector>

namespace holos {

enum class BuildState {
    none,    // no overlay yet, or the service has no Dockerfile
    current, // the overlay was built from these inputs
    changed, // the overlay was built from other inputs, or before the service had a Dockerfile
};

BuildState build_state(const InstanceFiles& files, const std::string& digest);

// The service's Dockerfile seed, if it has a Dockerfile. An overlay built from other inputs is
// removed (said in `actions`), so the caller creates a fresh one. Throws Error.
std::optional<DockerfileSeed> prepare_build(const Service& service, const InstanceFiles& files,
                                            std::vector<std::string>& actions);

// Records what the overlay now holds (or forgets it, for a service without a Dockerfile).
void record_build(const InstanceFiles& files, const std::optional<DockerfileSeed>& seed);

} // namespace holos
