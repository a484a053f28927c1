// `up` and a changed Dockerfile: the instances whose disk the next start rebuilds, because
// the overlay was built from other Dockerfile inputs (holos-instance prepare then replaces
// it; see dockerfile_reprovision.hpp). The change plan recreates the running ones.
#pragma once

#include "paths.hpp"
#include "project.hpp"

#include <set>
#include <string>

namespace holos::ctl {

// Names of the instances ("web-0") built from other inputs than the file's. Throws Failure
// when a file the Dockerfile copies cannot be read.
std::set<std::string> dockerfile_rebuilds(const Project& project, const Paths& paths);

} // namespace holos::ctl
