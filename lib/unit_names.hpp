// How holos names its units. Project and service names are DNS labels (checked by the
// parser), so every name below is a valid unit name without escaping.
#pragma once

#include <string>

namespace holos {

std::string project_target(const std::string& project);  // holos-hello.target
std::string keys_unit(const std::string& project);        // holos-hello-keys.service
std::string instance_template(const std::string& project, // holos-hello-web@.service
                              const std::string& service);
std::string instance_unit(const std::string& project, // holos-hello-web@0.service
                          const std::string& service, int index);
// Image references ("debian:12") are plain enough to be an instance name as they are.
std::string image_template(const std::string& project); // holos-hello-image@.service
std::string image_unit(const std::string& project,      // holos-hello-image@debian:12.service
                       const std::string& reference);

// The companion that copies an instance's serial console into the journal. The underscore
// cannot occur in a service name, so no service's units can take these names.
std::string console_template(const std::string& project, // holos-hello-web_console@.service
                             const std::string& service);
std::string console_unit(const std::string& project, // holos-hello-web_console@0.service
                         const std::string& service, int index);

} // namespace holos
