// holosctl doctor: checks the host (KVM, QEMU, qemu-img, OVMF, systemd, lingering in user
// mode, the state directory, free disk) and prints one line per check with advice below it.
// Exit status 1 when any check fails.

#include "verbs.hpp"

#include "holos_build_config.hpp"
#include "host_checks.hpp"
#include "settings.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <pwd.h>
#include <unistd.h>

namespace holos::ctl {
namespace {

std::string user_name() {
    struct passwd* entry = ::getpwuid(::getuid());
    return entry != nullptr ? entry->pw_name : std::to_string(::getuid());
}

HostEnvironment host_environment(const GlobalOptions& global) {
    HostEnvironment host;
    host.paths = paths_for(global.scope());
    SettingsResult settings = load_settings(host.paths);
    host.accel = settings.settings.accel;
    host.qemu_binary = HOLOS_QEMU_BINARY;
    host.qemu_img_binary = HOLOS_QEMU_IMG_BINARY;
    host.firmware = configured_firmware();
    host.user = user_name();
    host.uid = ::getuid();
    return host;
}

int run_doctor(const GlobalOptions& global, bool json) {
    std::vector<CheckResult> checks = run_host_checks(host_environment(global));
    if (json) {
        std::cout << checks_json(checks);
    } else {
        for (const CheckResult& check : checks) {
            std::string status = status_word(check.status);
            std::cout << status << std::string(6 - status.size(), ' ') << check.name
                      << std::string(check.name.size() < 10 ? 10 - check.name.size() : 1, ' ')
                      << check.summary << "\n";
            if (!check.advice.empty()) {
                std::cout << "                -> " << check.advice << "\n";
            }
        }
    }
    return overall_status(checks) == CheckStatus::fail ? kExitFailure : kExitOk;
}

} // namespace

VerbRun setup_doctor(CLI::App& command, const GlobalOptions& global) {
    auto json = std::make_shared<bool>(false);
    command.add_flag("--json", *json, "print the checks as JSON");
    return [json, &global] { return run_doctor(global, *json); };
}

} // namespace holos::ctl
