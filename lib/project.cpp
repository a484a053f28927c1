#include "project.hpp"

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

} // namespace holos
