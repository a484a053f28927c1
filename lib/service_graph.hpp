// What depends_on means between a project's services, apart from units: which services one
// needs (directly or not), which ones need it, and what a dependent waits for. Pure.
#pragma once

#include "project.hpp"

#include <set>
#include <string>
#include <vector>

namespace holos {

// The service has a healthcheck that runs (present and not disabled).
bool has_health_probe(const Service& service);

// Some service waits for this one with service_completed_successfully: its instances are
// expected to power off by themselves, and only a clean power-off counts as done.
bool runs_to_completion(const Project& project, const Service& service);

// Every service that `names` need, directly or through others, not counting `names`
// themselves; in start order.
std::vector<const Service*> needed_services(const Project& project,
                                            const std::set<std::string>& names);

// Every service that needs one of `names`, directly or through others, not counting
// `names` themselves; in start order.
std::vector<const Service*> dependent_services(const Project& project,
                                               const std::set<std::string>& names);

} // namespace holos
