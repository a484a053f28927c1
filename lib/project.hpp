// The typed model of a holos.yaml file. Parsing fills it and guarantees its invariants
// (names are DNS labels, ports in range, replicas >= 1, references resolve, no dependency
// cycle), so everything downstream trusts it. Relative paths are already absolute here.
#pragma once

#include "ipv4.hpp"
#include "dockerfile_build.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace holos {

inline constexpr int kDefaultVcpu = 1;
inline constexpr int kDefaultMemoryMiB = 1024;
inline constexpr int kMaxReplicas = 64;
inline constexpr std::uint64_t kDefaultVolumeBytes = 10ULL << 30;
inline constexpr std::int64_t kDefaultStopGraceMs = 30'000;

struct PortMapping {
    std::string host_ip = "127.0.0.1";
    // For replica N the instance binds host_port + N. 0: a free port is chosen at `up`
    // and kept while the project is registered (the "GUEST" form).
    std::uint16_t host_port = 0;
    std::uint16_t guest_port = 0;
    std::string protocol = "tcp"; // "tcp" or "udp"
};

// A command given either as an argv list (exec form) or as one shell line (shell form).
struct Command {
    std::vector<std::string> argv; // exec form; empty for the shell form
    std::string shell;             // shell form; empty for the exec form
};

struct WriteFile {
    std::string path;
    std::string content;
    std::string encoding;            // "", "b64", "gzip" or "gz+b64" (content stays encoded)
    std::string permissions = "0644";
    std::string owner;               // "user:group"; empty: root:root
    bool append = false;
};

struct CloudInit {
    std::string user; // empty: the image's default user
    std::vector<std::string> packages;
    std::vector<WriteFile> write_files;
    std::vector<Command> runcmd;  // once, at the end of the first boot
    std::vector<Command> bootcmd; // early in every boot
};

struct VmSpec {
    int vcpu = kDefaultVcpu;
    int memory_mib = kDefaultMemoryMiB;         // from memory_mb or memory: "2G"
    std::optional<std::uint64_t> disk_size_bytes; // unset: the base image's size
    std::string machine = "q35";
    std::string cpu_model;                      // empty: "host" under KVM, "max" under TCG
    bool uefi = false;
    std::string accel;                          // empty: the host setting; "kvm" or "tcg"
    std::vector<std::string> extra_args;        // appended verbatim to QEMU's argv
};

struct PciDevice {
    std::string address; // normalised "0000:01:00.0"
    std::filesystem::path rom_file; // empty: none
};

enum class DependencyCondition { service_started, service_healthy, service_completed_successfully };

struct Dependency {
    std::string service;
    DependencyCondition condition = DependencyCondition::service_started;
};

struct Healthcheck {
    Command test;
    std::int64_t interval_ms = 30'000;
    std::int64_t timeout_ms = 30'000;
    int retries = 3;
    std::int64_t start_period_ms = 0;
    bool disabled = false;
};

enum class RestartPolicy { no, always, on_failure, unless_stopped };

struct VolumeMount {
    enum class Kind { bind, named };
    Kind kind = Kind::bind;
    std::string source; // a declared volume's name, or an absolute host path
    std::string target; // absolute path in the guest
    bool read_only = false;
};

struct Service {
    std::string name;
    std::string image;        // "name[:tag]" from the image store, or an absolute path
    std::string image_format; // "qcow2" or "raw"; empty: inferred when the image is resolved
    std::filesystem::path dockerfile; // empty: none
    std::vector<DockerfileStep> dockerfile_steps; // its build steps, in file order
    int replicas = 1;
    std::vector<PortMapping> ports; // ranges already expanded to one mapping per port
    std::vector<VolumeMount> volumes;
    std::vector<Dependency> depends_on;
    std::optional<Healthcheck> healthcheck;
    std::int64_t stop_grace_period_ms = kDefaultStopGraceMs;
    RestartPolicy restart = RestartPolicy::no;
    std::vector<std::pair<std::string, std::string>> environment; // in file order
    VmSpec vm;
    CloudInit cloud_init;
    std::vector<PciDevice> devices;
};

struct NamedVolume {
    std::string name;
    std::uint64_t size_bytes = kDefaultVolumeBytes;
};

// The project's private segment between its guests. The subnet never overlaps the guests'
// user-mode network (10.0.2.0/24) and has room for every instance.
struct NetworkSpec {
    Ipv4Subnet subnet{0x0a0a0000, 24}; // 10.10.0.0/24
};

struct Project {
    std::string name;
    std::filesystem::path source_file; // absolute path of the holos.yaml it came from
    std::filesystem::path base_dir;    // relative paths in the file resolve against this
    std::vector<Service> services;     // in file order
    std::vector<NamedVolume> volumes;  // in file order
    NetworkSpec network;
};

// "web-0": how users, hostnames and state directories name replica `index` of a service.
std::string instance_name(const Service& service, int index);

const Service* find_service(const Project& project, const std::string& name);

// Every service after the services it depends on; otherwise in file order. depends_on must
// be acyclic, as the parser guarantees.
std::vector<const Service*> services_in_start_order(const Project& project);

} // namespace holos
