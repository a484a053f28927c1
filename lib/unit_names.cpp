#include "unit_names.hpp"

namespace holos {
namespace {

std::string service_prefix(const std::string& project, const std::string& service) {
    return "holos-" + project + "-" + service;
}

std::string virtiofs_prefix(const std::string& project, const std::string& service,
                            size_t mount) {
    return service_prefix(project, service) + "_virtiofs" + std::to_string(mount);
}

} // namespace

std::string project_target(const std::string& project) {
    return "holos-" + project + ".target";
}

std::string keys_unit(const std::string& project) {
    return "holos-" + project + "-keys.service";
}

std::string instance_template(const std::string& project, const std::string& service) {
    return service_prefix(project, service) + "@.service";
}

std::string instance_unit(const std::string& project, const std::string& service, int index) {
    return service_prefix(project, service) + "@" + std::to_string(index) + ".service";
}

std::string instance_unit_specifier(const std::string& project, const std::string& service) {
    return specifier_instance(instance_template(project, service));
}

std::string specifier_instance(std::string template_name) {
    size_t at = template_name.find('@');
    return at == std::string::npos ? template_name : template_name.insert(at + 1, "%i");
}

std::string health_template(const std::string& project, const std::string& service) {
    return service_prefix(project, service) + "_health@.service";
}

std::string health_unit(const std::string& project, const std::string& service, int index) {
    return service_prefix(project, service) + "_health@" + std::to_string(index) + ".service";
}

std::string volume_unit(const std::string& project, const std::string& volume) {
    return "holos-" + project + "-volume-" + volume + ".service";
}

std::string virtiofs_template(const std::string& project, const std::string& service,
                              size_t mount, const std::string& suffix) {
    return virtiofs_prefix(project, service, mount) + "@" + suffix;
}

std::string virtiofs_unit(const std::string& project, const std::string& service, size_t mount,
                          int index, const std::string& suffix) {
    return virtiofs_prefix(project, service, mount) + "@" + std::to_string(index) + suffix;
}

std::string console_template(const std::string& project, const std::string& service) {
    return "holos-" + project + "-" + service + "_console@.service";
}

std::string console_unit(const std::string& project, const std::string& service, int index) {
    return "holos-" + project + "-" + service + "_console@" + std::to_string(index) + ".service";
}

std::string machine_template(const std::string& project, const std::string& service) {
    return "holos-" + project + "-" + service + "_machine@.service";
}

std::string machine_unit(const std::string& project, const std::string& service, int index) {
    return "holos-" + project + "-" + service + "_machine@" + std::to_string(index) + ".service";
}

std::string image_template(const std::string& project) {
    return "holos-" + project + "-image@.service";
}

std::string image_unit(const std::string& project, const std::string& reference) {
    return "holos-" + project + "-image@" + reference + ".service";
}

} // namespace holos
