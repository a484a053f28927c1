#include "project.hpp"

#include <set>

namespace holos {

std::string instance_name(const Service& service, int index) {
    return service.name + "-" + std::to_string(index);
}

const Service* find_service(const Project& project, const std::string& name) {
    for (const Service& service : project.services) {
        if (service.name == name) {
            return &service;
        }
    }
    return nullptr;
}

namespace {

void visit_in_start_order(const Project& project, const Service& service,
                          std::set<std::string>& placed, std::vector<const Service*>& order) {
    if (!placed.insert(service.name).second) {
        return;
    }
    for (const Dependency& dependency : service.depends_on) {
        if (const Service* needed = find_service(project, dependency.service)) {
            visit_in_start_order(project, *needed, placed, order);
        }
    }
    order.push_back(&service);
}

} // namespace

std::vector<const Service*> services_in_start_order(const Project& project) {
    std::set<std::string> placed;
    std::vector<const Service*> order;
    for (const Service& service : project.services) {
        visit_in_start_order(project, service, placed, order);
    }
    return order;
}

} // namespace holos
