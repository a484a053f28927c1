// The units behind a service's volumes. A named volume gets a oneshot that creates its qcow2
// once (holos-P-volume-V.service); a bind mount gets, per instance, a socket unit and the
// virtiofsd it activates (holos-P-S_virtiofsK@.socket and .service), which QEMU connects to.
#pragma once

#include "unit_graph.hpp"

#include <optional>
#include <string>
#include <vector>

namespace holos {

GeneratedFile volume_unit_file(const Project& project, const NamedVolume& volume,
                               const GraphContext& context);

// The socket and service templates of bind mount number `mount` of `service`.
std::vector<GeneratedFile> virtiofs_units(const Project& project, const Service& service,
                                          size_t mount, const GraphContext& context);

// The service's bind mounts, in file order (their position is their number).
std::vector<const VolumeMount*> bind_mounts(const Service& service);

// The service's named volume mounts, in file order.
std::vector<const VolumeMount*> named_mounts(const Service& service);

// Escapes a value for a FUSE "-o name=value" option, where "," separates options.
std::string fuse_option_escape(const std::string& value);

} // namespace holos
