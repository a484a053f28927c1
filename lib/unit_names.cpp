#include "unit_names.hpp"

namespace holos {

std::string project_target(const std::string& project) {
    return "holos-" + project + ".target";
}

std::string keys_unit(const std::string& project) {
    return "holos-" + project + "-keys.service";
}

std::string instance_template(const std::string& project, const std::string& service) {
    return "holos-" + project + "-" + service + "@.service";
}

std::string instance_unit(const std::string& project, const std::string& service, int index) {
    return "holos-" + project + "-" + service + "@" + std::to_string(index) + ".service";
}

std::string console_template(const std::string& project, const std::string& service) {
    return "holos-" + project + "-" + service + "_console@.service";
}

std::string console_unit(const std::string& project, const std::string& service, int index) {
    return "holos-" + project + "-" + service + "_console@" + std::to_string(index) + ".service";
}

std::string image_template(const std::string& project) {
    return "holos-" + project + "-image@.service";
}

std::string image_unit(const std::string& project, const std::string& reference) {
    return "holos-" + project + "-image@" + reference + ".service";
}

} // namespace holos
