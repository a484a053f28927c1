// Where holos keeps things. The system manager and a user manager use different roots, but
// the same layout below them, so every other part asks Paths and never hard-codes a path.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace holos {

enum class Scope { system, user };

// `up` registers a project under the runtime directory, which a reboot forgets; `install`
// registers it under the config directory, which every boot reads again.
enum class Lifetime { runtime, installed };

struct Paths {
    Scope scope = Scope::system;
    std::filesystem::path config_dir;  // /etc/holos: holos.conf, installed projects
    std::filesystem::path runtime_dir; // /run/holos: registrations, sockets, runtime config
    std::filesystem::path state_dir;   // /var/lib/holos: images, overlays, seeds, keys

    std::filesystem::path projects_dir(Lifetime lifetime) const;
    std::filesystem::path image_store() const { return state_dir / "images"; }
    std::filesystem::path project_state(const std::string& project) const;
    std::filesystem::path ssh_key(const std::string& project) const;
    std::filesystem::path instances_state(const std::string& project) const;
    std::filesystem::path instance_state(const std::string& project,
                                         const std::string& instance) const;
    std::filesystem::path instance_runtime(const std::string& project,
                                           const std::string& instance) const;
    // The compose file `holosctl run` writes for a one-off VM lives here.
    std::filesystem::path run_project_dir(const std::string& project) const;
    // Named volumes outlive instances: `down` keeps them, `down --volumes` removes them.
    std::filesystem::path volumes_dir(const std::string& project) const;
    std::filesystem::path volume_image(const std::string& project,
                                       const std::string& volume) const;
    // Beside the instance's runtime directory, not in it: the socket unit that owns it
    // outlives the QEMU unit, whose runtime directory goes when QEMU stops.
    std::filesystem::path virtiofs_socket(const std::string& project,
                                          const std::string& instance, size_t mount) const;
    std::filesystem::path instances_runtime(const std::string& project) const;
};

// "web-0.virtiofs1.sock": the file name of an instance's virtiofs socket.
std::string virtiofs_socket_name(const std::string& instance, size_t mount);

// The layout below /etc, /run and /var/lib.
Paths system_paths();

// The layout for a user manager: $XDG_CONFIG_HOME, $XDG_RUNTIME_DIR and $XDG_STATE_HOME
// (with their usual fallbacks). Throws Error when XDG_RUNTIME_DIR is unset.
Paths user_paths();

Paths paths_for(Scope scope);

// Files inside an instance's directories.
struct InstanceFiles {
    std::filesystem::path overlay;        // qcow2 on top of the base image
    std::filesystem::path seed;           // NoCloud seed ISO
    std::filesystem::path console_log;    // serial console output
    std::filesystem::path qmp_socket;     // QMP control socket
    std::filesystem::path console_socket; // serial console, for attaching
    std::filesystem::path pinned_host_key = {}; // the guest's SSH host key as first seen
    std::filesystem::path seeded_id = {};       // instance-id of the last seed written
    std::filesystem::path efi_vars;       // the instance's own copy of the UEFI variables
    std::filesystem::path build_digest;   // the Dockerfile inputs the overlay was built from
};

InstanceFiles instance_files(const Paths& paths, const std::string& project,
                             const std::string& instance);

} // namespace holos
