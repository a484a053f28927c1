#include "reprovision.hpp"

#include "context.hpp"
#include "dockerfile_reprovision.hpp"
#include "error.hpp"
#include "unit_graph.hpp"

#include <algorithm>
#include <iostream>

namespace holos::ctl {

std::vector<Rebuild> dockerfile_rebuilds(const Project& project, const Paths& paths) {
    std::vector<Rebuild> rebuilds;
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
            rebuilds.push_back({instance.instance, instance.unit});
        }
    }
    return rebuilds;
}

void stop_for_rebuild(const std::vector<Rebuild>& rebuilds, SystemdManager& manager,
                      std::vector<std::string>& stale_units) {
    for (const Rebuild& rebuild : rebuilds) {
        std::cout << rebuild.instance
                  << ": the Dockerfile or a file it copies changed; re-provisioning it on a "
                     "fresh disk (the old one is discarded)\n";
        std::erase(stale_units, rebuild.unit);
        if (manager.unit_state(rebuild.unit).active_state != "active") {
            continue;
        }
        std::string result = manager.stop_unit(rebuild.unit);
        if (result != "done") {
            throw Failure("stopping " + rebuild.unit + " to re-provision it: " + result);
        }
    }
}

} // namespace holos::ctl
