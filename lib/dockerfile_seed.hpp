// What a service's Dockerfile adds to the cloud-init seed: a first-boot script with its build
// steps, run before the service's own runcmd, and the files its COPY steps bring along, as
// write_files entries (gzip, then base64) staged under /var/lib/holos/dockerfile.
#pragma once

#include "project.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace holos {

inline constexpr const char* kDockerfileGuestDir = "/var/lib/holos/dockerfile";

struct DockerfileSeed {
    std::vector<WriteFile> files; // the script and the staged copies
    Command run;                  // runs the script: the first runcmd entry
    std::string digest;           // changes with the script, any copied byte or the image
};

// The first-boot script alone (pure).
std::string dockerfile_script(const Service& service);

// Reads the copied files. Throws Error when one cannot be read or they outgrew
// kMaxDockerfileCopyBytes since the file was parsed.
DockerfileSeed dockerfile_seed(const Service& service);

} // namespace holos
