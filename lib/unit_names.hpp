// How holos names its units. Project and service names are DNS labels (checked by the
// parser), so every name below is a valid unit name without escaping.
#pragma once

#include <string>

namespace holos {

// Every project started at boot is wanted by this target as well as by the manager's boot
// target, so `systemctl start holos.target` starts them all.
inline constexpr const char* kBootProjectsTarget = "holos.target";

std::string project_target(const std::string& project);  // holos-hello.target
std::string keys_unit(const std::string& project);        // holos-hello-keys.service
std::string instance_template(const std::string& project, // holos-hello-web@.service
                              const std::string& service);
std::string instance_unit(const std::string& project, // holos-hello-web@0.service
                          const std::string& service, int index);

} // namespace holos
