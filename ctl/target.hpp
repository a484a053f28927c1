// Addressing: which project and which instances a verb acts on.
//
// A project is chosen by --project NAME, else by the compose file (-f FILE, else holos.yaml or
// holos.yml in the current directory) through the registration made from it, else by the
// name that file declares; with no file at all, the only registered project is the one.
// An instance is addressed as service-N ("web-0"); a bare service name means all its replicas.
#pragma once

#include "context.hpp"

#include "generate.hpp"
#include "unit_graph.hpp"

#include <string>
#include <vector>

namespace holos::ctl {

struct ProjectChoice {
    std::string file;    // -f
    std::string project; // -p / --project
};

// Adds -f/--file and -p/--project to a verb; `short_file` false leaves -f to the verb (logs
// -f follows, as in docker compose), with --file still there.
void add_project_options(CLI::App& command, ProjectChoice& choice, bool short_file = true);

// The project name the choice designates. It need not be registered. Throws Failure.
std::string chosen_project_name(const ProjectChoice& choice, const Paths& paths);

// The registered project the choice designates, loaded. Throws Failure naming what to try
// when it is not registered or its snapshot cannot be read.
LoadedProject chosen_project(const ProjectChoice& choice, const Paths& paths);

// The instances named by `targets` (service names and service-N instance names) in file
// order without duplicates; every instance when `targets` is empty. Throws Failure listing
// the valid names when one is unknown.
std::vector<InstanceUnit> chosen_instances(const LoadedProject& loaded,
                                           const std::vector<std::string>& targets);

// Exactly one instance: "web-0", or a service with a single replica ("db"). Throws Failure.
InstanceUnit chosen_instance(const LoadedProject& loaded, const std::string& target);

} // namespace holos::ctl
