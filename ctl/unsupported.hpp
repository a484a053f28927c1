// Fields the parser accepts and checks but the runtime does not act on yet. `up` and
// `validate` name each one that a file uses, so nobody relies on it by mistake.
#pragma once

#include "project.hpp"

#include <string>
#include <vector>

namespace holos::ctl {

// One line per field in use, e.g. "services.db.healthcheck is not acted on yet".
std::vector<std::string> unsupported_fields(const Project& project);

} // namespace holos::ctl
