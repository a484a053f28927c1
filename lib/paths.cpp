#include "paths.hpp"

#include "error.hpp"

#include <cstdlib>

namespace holos {
namespace {

std::filesystem::path env_dir(const char* name, const std::filesystem::path& fallback) {
    const char* value = std::getenv(name);
    if (value != nullptr && value[0] == '/') {
        return value;
    }
    return fallback;
}

std::filesystem::path home_dir() {
    const char* home = std::getenv("HOME");
    if (home == nullptr || home[0] != '/') {
        throw Error("finding the home directory: HOME is not set");
    }
    return home;
}

} // namespace

std::filesystem::path Paths::registration_dir(const std::string& project) const {
    return projects_dir() / project;
}

std::filesystem::path Paths::project_state(const std::string& project) const {
    return state_dir / "projects" / project;
}

std::filesystem::path Paths::ssh_key(const std::string& project) const {
    return project_state(project) / "id_ed25519";
}

std::filesystem::path Paths::instances_state(const std::string& project) const {
    return state_dir / "instances" / project;
}

std::filesystem::path Paths::instance_state(const std::string& project,
                                            const std::string& instance) const {
    return instances_state(project) / instance;
}

std::filesystem::path Paths::instance_runtime(const std::string& project,
                                              const std::string& instance) const {
    return runtime_dir / "instances" / project / instance;
}

std::filesystem::path Paths::run_project_dir(const std::string& project) const {
    return state_dir / "run" / project;
}

Paths system_paths() {
    return {Scope::system, "/etc/holos", "/run/holos", "/var/lib/holos"};
}

Paths user_paths() {
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    if (runtime == nullptr || runtime[0] != '/') {
        throw Error("finding the user runtime directory: XDG_RUNTIME_DIR is not set");
    }
    std::filesystem::path home = home_dir();
    return {Scope::user, env_dir("XDG_CONFIG_HOME", home / ".config") / "holos",
            std::filesystem::path(runtime) / "holos",
            env_dir("XDG_STATE_HOME", home / ".local" / "state") / "holos"};
}

Paths paths_for(Scope scope) {
    return scope == Scope::system ? system_paths() : user_paths();
}

InstanceFiles instance_files(const Paths& paths, const std::string& project,
                             const std::string& instance) {
    std::filesystem::path state = paths.instance_state(project, instance);
    std::filesystem::path runtime = paths.instance_runtime(project, instance);
    return {state / "overlay.qcow2", state / "seed.iso", state / "console.log",
            runtime / "qmp.sock", runtime / "console.sock", state / "efi-vars.fd",
            state / "dockerfile.digest"};
}

} // namespace holos
