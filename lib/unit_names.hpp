// How holos names its units. Project, service and volume names are DNS labels (checked by the
// parser), so every name below is a valid unit name without escaping. Units that belong to
// an instance but are not its QEMU (health, virtiofs) put a "_" between the service and
// their kind: service names have no underscores, so no service can be named like them.
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
// Image references ("debian:12") are plain enough to be an instance name as they are.
std::string image_template(const std::string& project); // holos-hello-image@.service
std::string image_unit(const std::string& project,      // holos-hello-image@debian:12.service
                       const std::string& reference);
// holos-hello-web@%i.service: the instance of a template, named from inside a template
std::string instance_unit_specifier(const std::string& project, const std::string& service);
// Any template's name with the %i specifier as its instance: "a@.socket" -> "a@%i.socket".
std::string specifier_instance(std::string template_name);

// holos-shop-db_health@.service and holos-shop-db_health@0.service
std::string health_template(const std::string& project, const std::string& service);
std::string health_unit(const std::string& project, const std::string& service, int index);

// holos-shop-volume-pgdata.service
std::string volume_unit(const std::string& project, const std::string& volume);

// The virtiofsd of a service's bind mount number `mount`, with its socket:
// holos-shop-web_virtiofs0@.service / .socket, and holos-shop-web_virtiofs0@1.socket.
// `suffix` is ".service" or ".socket".
std::string virtiofs_template(const std::string& project, const std::string& service,
                              size_t mount, const std::string& suffix);
std::string virtiofs_unit(const std::string& project, const std::string& service, size_t mount,
                          int index, const std::string& suffix);

// The companion that copies an instance's serial console into the journal. The underscore
// cannot occur in a service name, so no service's units can take these names.
std::string console_template(const std::string& project, // holos-hello-web_console@.service
                             const std::string& service);
std::string console_unit(const std::string& project, // holos-hello-web_console@0.service
                         const std::string& service, int index);

// The companion that registers a running instance with systemd-machined (system manager).
std::string machine_template(const std::string& project, // holos-hello-web_machine@.service
                             const std::string& service);
std::string machine_unit(const std::string& project, // holos-hello-web_machine@0.service
                         const std::string& service, int index);

} // namespace holos
