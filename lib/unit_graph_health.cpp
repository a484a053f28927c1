#include "unit_graph_health.hpp"

#include "generated_unit.hpp"
#include "unit_file.hpp"
#include "unit_names.hpp"

#include <algorithm>

namespace holos {
namespace {

constexpr std::int64_t kStartMarginS = 60;

// The user the probe logs in as: the one holosctl exec uses by default.
std::string probe_login(const Service& service) {
    return service.cloud_init.user.empty() ? "root" : service.cloud_init.user;
}

std::string health_command(const Project& project, const Service& service,
                           const GraphContext& context) {
    const Healthcheck& check = *service.healthcheck;
    std::vector<std::string> args = {"health"};
    if (context.health_bypass) {
        args.push_back("--bypass");
    }
    for (const auto& [flag, value] : std::vector<std::pair<std::string, std::int64_t>>{
             {"--interval-ms", check.interval_ms},
             {"--timeout-ms", check.timeout_ms},
             {"--retries", check.retries},
             {"--start-period-ms", check.start_period_ms}}) {
        args.insert(args.end(), {flag, std::to_string(value)});
    }
    args.insert(args.end(), {"--login", probe_login(service), project.name, service.name});
    return helper_command(context, args, true) + " -- " + exec_command_line(probe_argv(check));
}

} // namespace

std::vector<std::string> probe_argv(const Healthcheck& check) {
    if (!check.test.argv.empty()) {
        return check.test.argv;
    }
    return {"/bin/sh", "-c", check.test.shell};
}

std::int64_t health_start_timeout_s(const Healthcheck& check) {
    std::int64_t spacing_ms = std::max(check.interval_ms, check.timeout_ms);
    return seconds_rounded_up(check.start_period_ms + (check.retries + 1) * spacing_ms) +
           kStartMarginS;
}

GeneratedFile health_template_unit(const Project& project, const Service& service,
                                   const GraphContext& context) {
    std::string instance = instance_unit_specifier(project.name, service.name);
    UnitFileBuilder unit(generated_header(context));
    open_unit_section(unit, context, unit_description(project, service.name, "-%i health"))
        // Requires=, not BindsTo=: systemd 252 briefly fails an instance it is about to
        // restart, and BindsTo= would then stop this unit and every dependent for good.
        .set("Requires", instance)
        .set("After", instance);
    unit.section("Service")
        .set("Type", "notify")
        .set("Slice", "holos.slice")
        .set("ExecStart", health_command(project, service, context))
        .set("TimeoutStartSec", std::to_string(health_start_timeout_s(*service.healthcheck)))
        .set("Restart", "no");
    return {health_template(project.name, service.name), unit.str()};
}

} // namespace holos
