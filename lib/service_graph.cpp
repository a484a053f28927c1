#include "service_graph.hpp"

#include <algorithm>

namespace holos {
namespace {

bool depends_directly(const Service& service, const std::set<std::string>& names) {
    return std::any_of(service.depends_on.begin(), service.depends_on.end(),
                       [&](const Dependency& d) { return names.contains(d.service); });
}

// The services reached from `names` by `step` until nothing new turns up, without `names`.
template <typename Step>
std::vector<const Service*> closure(const Project& project, const std::set<std::string>& names,
                                    Step step) {
    std::set<std::string> reached = names;
    for (bool grew = true; grew;) {
        grew = false;
        for (const Service& service : project.services) {
            if (!reached.contains(service.name) && step(service, reached)) {
                reached.insert(service.name);
                grew = true;
            }
        }
    }
    std::vector<const Service*> out;
    for (const Service* service : services_in_start_order(project)) {
        if (reached.contains(service->name) && !names.contains(service->name)) {
            out.push_back(service);
        }
    }
    return out;
}

} // namespace

bool has_health_probe(const Service& service) {
    return service.healthcheck && !service.healthcheck->disabled;
}

bool runs_to_completion(const Project& project, const Service& service) {
    for (const Service& other : project.services) {
        for (const Dependency& dependency : other.depends_on) {
            if (dependency.service == service.name &&
                dependency.condition == DependencyCondition::service_completed_successfully) {
                return true;
            }
        }
    }
    return false;
}

std::vector<const Service*> needed_services(const Project& project,
                                            const std::set<std::string>& names) {
    // A service is needed when something already reached depends on it.
    return closure(
        project, names, [&](const Service& candidate, const std::set<std::string>& reached) {
            return std::any_of(
                project.services.begin(), project.services.end(), [&](const Service& s) {
                    return reached.contains(s.name) && depends_directly(s, {candidate.name});
                });
        });
}

std::vector<const Service*> dependent_services(const Project& project,
                                               const std::set<std::string>& names) {
    return closure(project, names,
                   [](const Service& candidate, const std::set<std::string>& reached) {
                       return depends_directly(candidate, reached);
                   });
}

} // namespace holos
