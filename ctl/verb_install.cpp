// holosctl install and uninstall: make a project's registration persistent, so that it
// survives reboots (and, with --enable, starts at boot), and make it temporary again.
//
// Both only move the registration between the runtime and the config directory (see
// registry.hpp) and reload; neither starts nor stops an instance or touches a disk. A project
// that is uninstalled stays registered until the next reboot or `down`, so its running
// instances keep their units and its disks stay known.

#include "verbs.hpp"

#include "project_lock.hpp"
#include "register_project.hpp"
#include "target.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "registry.hpp"
#include "systemd_manager.hpp"
#include "unit_graph.hpp"
#include "unit_names.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <pwd.h>
#include <unistd.h>

namespace holos::ctl {
namespace {

struct InstallOptions {
    std::string file;
    bool enable = false;
    int lock_timeout_s = kDefaultLockWaitS;
};

std::string calling_user_name() {
    const passwd* entry = ::getpwuid(::getuid());
    return entry != nullptr ? entry->pw_name : std::to_string(::getuid());
}

// A user manager runs from the user's first login to the last logout, unless logind keeps it
// running from boot ("lingering"), which it records as a file named after the user.
void note_when_lingering_is_off(const std::string& project) {
    std::string user = calling_user_name();
    std::error_code ec;
    if (std::filesystem::exists("/var/lib/systemd/linger/" + user, ec)) {
        return;
    }
    std::cerr << "holosctl: note: lingering is off for user " << user
              << ", so your service manager, and " << project_target(project)
              << " with it, starts at your first login, not at boot; run \"loginctl "
                 "enable-linger "
              << user << "\" to start it at boot\n";
}

void print_installed(const RegisteredProject& registered, const Paths& paths,
                     SystemdManager& manager, const std::string& file) {
    const std::string& name = registered.registration.project;
    std::cout << "project " << name << " installed in " << registration_dir(paths, name).string()
              << (registered.registration.enabled
                      ? ", started at boot by " + boot_target(paths.scope)
                      : ", not started at boot (install --enable does that)")
              << "\n";
    if (manager.unit_state(project_target(name)).active_state != "active") {
        std::cout << "it is not running; start it now with holosctl "
                  << (paths.scope == Scope::user ? "--user " : "") << "up -f " << compose_path(file)
                  << "\n";
    }
}

int run_install(const InstallOptions& options, const GlobalOptions& global) {
    ComposeFile compose = load_compose(options.file);
    Paths paths = paths_for(global.scope());
    ProjectLock lock(paths, compose.project.name, "install",
                     std::chrono::seconds(options.lock_timeout_s));
    SystemdManager manager(global.scope());
    RegisteredProject registered = register_project(
        compose, paths, manager, {{true, options.enable}, {}, /*starts_now=*/false});
    print_installed(registered, paths, manager, options.file);
    warn_stale(registered.plan);
    if (options.enable && paths.scope == Scope::user) {
        note_when_lingering_is_off(compose.project.name);
    }
    return kExitOk;
}

// Moves the registration back under the runtime directory. One that cannot be read any more
// is removed instead: there is nothing left to move.
void make_temporary(const Paths& paths, const std::string& name) {
    try {
        Registration registration = read_registration(paths, name);
        std::string snapshot = read_file(snapshot_file(paths, registration));
        registration.lifetime = Lifetime::runtime;
        registration.enabled = false;
        write_registration(paths, registration, snapshot);
    } catch (const Error& e) {
        std::cerr << "holosctl: warning: " << e.what() << "; removing the installed copy\n";
        std::filesystem::remove_all(paths.projects_dir(Lifetime::installed) / name);
    }
}

int run_uninstall(const ProjectChoice& choice, const GlobalOptions& global) {
    Paths paths = paths_for(global.scope());
    std::string name = chosen_project_name(choice, paths);
    ProjectLock lock(paths, name, "uninstall", std::chrono::seconds(kDefaultLockWaitS));
    std::error_code ec;
    if (!std::filesystem::is_directory(paths.projects_dir(Lifetime::installed) / name, ec)) {
        std::cout << "project " << name << " is not installed; nothing to do\n";
        return kExitOk;
    }
    make_temporary(paths, name);
    SystemdManager(global.scope()).reload();
    std::cout << "project " << name
              << " uninstalled: it is no longer started at boot and stays registered until the "
                 "next reboot (down removes it and its disks now)\n";
    return kExitOk;
}

} // namespace

VerbRun setup_install(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<InstallOptions>();
    add_file_option(command, options->file);
    command.add_flag("--enable", options->enable, "start the project at boot");
    add_lock_option(command, options->lock_timeout_s);
    return [options, &global] { return run_install(*options, global); };
}

VerbRun setup_uninstall(CLI::App& command, const GlobalOptions& global) {
    auto choice = std::make_shared<ProjectChoice>();
    add_project_options(command, *choice);
    return [choice, &global] { return run_uninstall(*choice, global); };
}

} // namespace holos::ctl
