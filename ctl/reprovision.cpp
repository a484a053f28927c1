#include "reprovision.hpp"

#include "context.hpp"
#include "dockerfile_reprovision.hpp"
#include "error.hpp"
#include "unit_graph.hpp"

namespace holos::ctl {

std::set<std::string> dockerfile_rebuilds(const Project& project, const Paths& paths) {
    std::set<std::string> rebuilds;
    for (const InstanceUnit& instance : instance_units(project)) {
        if (instance.service->dockerfile.empty()) {
            continue;
        }
        std::string digest;
        try {
            digest = dockerfile_seed(*instance.service).digest;
        } catch (const Error& e) {
            throw Failure("service " + instance.service->name + ": " + e.what());
        }
        InstanceFiles files = instance_files(paths, project.name, instance.instance);
        if (build_state(files, digest) == BuildState::changed) {
            rebuilds.insert(instance.instance);
        }
    }
    return rebuilds;
}

} // namespace holos::ctl
