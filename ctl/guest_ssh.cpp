#include "guest_ssh.hpp"

#include "progress.hpp"

#include "systemd_manager.hpp"

namespace holos::ctl {
namespace {

void require_running(const GlobalOptions& global, const LoadedProject& loaded,
                     const InstanceUnit& instance) {
    UnitState state = SystemdManager(global.scope()).unit_state(instance.unit);
    if (state.active_state != "active") {
        throw Failure(loaded.project.name + "/" + instance.instance + " is not running (" +
                      state.active_state + "); start it with holosctl start -p " +
                      loaded.project.name + " " + instance.instance);
    }
}

SshTarget target_for(const Paths& paths, const LoadedProject& loaded,
                     const InstanceUnit& instance, const std::string& user) {
    auto port = loaded.registration.ssh_ports.find(instance.instance);
    if (port == loaded.registration.ssh_ports.end()) {
        throw Failure(loaded.project.name + "/" + instance.instance +
                      " has no SSH port; bring the project up again with holosctl up");
    }
    SshTarget target;
    target.label = loaded.project.name + "/" + instance.instance;
    target.port = port->second;
    const std::string& login_user = instance.service->cloud_init.user;
    target.user = !user.empty() ? user : !login_user.empty() ? login_user : "root";
    target.private_key = paths.ssh_key(loaded.project.name);
    target.pinned_host_key =
        instance_files(paths, loaded.project.name, instance.instance).pinned_host_key;
    return target;
}

std::string hint(SshError::Kind kind, const std::string& instance, std::chrono::seconds wait) {
    switch (kind) {
    case SshError::Kind::unreachable:
        return "; it did not answer within " + std::to_string(wait.count()) +
               " s. A guest still booting needs longer (-w SECONDS); one without sshd cannot "
               "be reached (holosctl console --log " + instance + " shows its boot)";
    case SshError::Kind::refused:
        return "; is cloud-init finished in the guest, and does the user exist (-u USER)?";
    default:
        return "";
    }
}

} // namespace

std::unique_ptr<SshSession> connect_guest(const GlobalOptions& global,
                                          const LoadedProject& loaded,
                                          const InstanceUnit& instance, const std::string& user,
                                          std::chrono::seconds wait) {
    require_running(global, loaded, instance);
    SshTarget target = target_for(paths_for(global.scope()), loaded, instance, user);
    WaitNotice notice("waiting for " + target.label + "'s SSH server");
    try {
        return std::make_unique<SshSession>(target, wait,
                                            [&notice](std::chrono::seconds) { notice.update(); });
    } catch (const SshError& e) {
        throw Failure(e.what() + hint(e.kind, instance.instance, wait));
    }
}

} // namespace holos::ctl
