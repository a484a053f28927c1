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

// User directories reach unit files (ReadWritePaths=, the QEMU command line), where a line
// break cannot be written at all.
std::filesystem::path without_control_characters(const std::filesystem::path& dir,
                                                 const char* what) {
    for (char c : dir.string()) {
        auto u = static_cast<unsigned char>(c);
        if (u < ' ' || u == 0x7f) {
            throw Error("the " + std::string(what) + " " + dir.string() +
                        " contains a control character");
        }
    }
    return dir;
}

} // namespace

std::filesystem::path Paths::projects_dir(Lifetime lifetime) const {
    return (lifetime == Lifetime::installed ? config_dir : runtime_dir) / "projects";
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
    return instances_runtime(project) / instance;
}

std::filesystem::path Paths::volumes_dir(const std::string& project) const {
    return state_dir / "volumes" / project;
}

std::filesystem::path Paths::volume_image(const std::string& project,
                                          const std::string& volume) const {
    return volumes_dir(project) / (volume + ".qcow2");
}

std::filesystem::path Paths::virtiofs_socket(const std::string& project,
                                             const std::string& instance, size_t mount) const {
    return instances_runtime(project) / virtiofs_socket_name(instance, mount);
}

std::filesystem::path Paths::instances_runtime(const std::string& project) const {
    return runtime_dir / "instances" / project;
}

std::string virtiofs_socket_name(const std::string& instance, size_t mount) {
    return instance + ".virtiofs" + std::to_string(mount) + ".sock";
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
    return {Scope::user,
            without_control_characters(env_dir("XDG_CONFIG_HOME", home / ".config") / "holos",
                                       "user config directory"),
            without_control_characters(std::filesystem::path(runtime) / "holos",
                                       "user runtime directory"),
            without_control_characters(env_dir("XDG_STATE_HOME", home / ".local" / "state") /
                                           "holos",
                                       "user state directory")};
}

Paths paths_for(Scope scope) {
    return scope == Scope::system ? system_paths() : user_paths();
}

InstanceFiles instance_files(const Paths& paths, const std::string& project,
                             const std::string& instance) {
    std::filesystem::path state = paths.instance_state(project, instance);
    std::filesystem::path runtime = paths.instance_runtime(project, instance);
    return {state / "overlay.qcow2", state / "seed.iso",       state / "console.log",
            runtime / "qmp.sock",    runtime / "console.sock", state / "ssh_host_key",
            state / "instance-id",   state / "efi-vars.fd",    state / "dockerfile.digest"};
}

} // namespace holos
