// The health units: holos-P-S_health@.service, one instance per replica of a service with a
// healthcheck. Each runs `holos-instance health`, which probes the guest over SSH, tells
// systemd it is ready (Type=notify) once a probe passes, and then keeps probing and
// publishes "healthy" or "unhealthy" as its status text.
#pragma once

#include "unit_graph.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace holos {

GeneratedFile health_template_unit(const Project& project, const Service& service,
                                   const GraphContext& context);

// The probe as argv for the guest: the exec form as written, the shell form through
// /bin/sh -c (what compose's CMD-SHELL means).
std::vector<std::string> probe_argv(const Healthcheck& check);

// How long the health unit may take to become ready: the start period, then enough time for
// `retries` counted failures, plus a margin. The helper gives up by itself before that; the
// timeout only catches a helper that hangs.
std::int64_t health_start_timeout_s(const Healthcheck& check);

} // namespace holos
