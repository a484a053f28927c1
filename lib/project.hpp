// The typed model of a holos.yaml file. Parsing fills it and guarantees its invariants
// (names are DNS labels, ports in range, replicas >= 1), so everything downstream trusts it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace holos {

inline constexpr int kDefaultVcpu = 1;
inline constexpr int kDefaultMemoryMiB = 1024;
inline constexpr int kMaxReplicas = 64;

struct PortMapping {
    std::string host_ip = "127.0.0.1";
    std::uint16_t host_port = 0; // for replica N the instance binds host_port + N
    std::uint16_t guest_port = 0;
    std::string protocol = "tcp";
};

struct WriteFile {
    std::string path;
    std::string content;
    std::string permissions = "0644";
};

struct CloudInit {
    std::string user; // empty: the image's default user
    std::vector<std::string> packages;
    std::vector<WriteFile> write_files;
    std::vector<std::string> runcmd; // shell command lines, run in order
};

struct VmSpec {
    int vcpu = kDefaultVcpu;
    int memory_mib = kDefaultMemoryMiB;
};

struct Service {
    std::string name;
    std::string image; // "name[:tag]" from the image store, or a path
    int replicas = 1;
    std::vector<PortMapping> ports;
    VmSpec vm;
    CloudInit cloud_init;
};

struct Project {
    std::string name;
    std::filesystem::path source_file; // absolute path of the holos.yaml it came from
    std::filesystem::path base_dir;    // relative paths in the file resolve against this
    std::vector<Service> services;     // in file order
};

// "web-0": how users, hostnames and state directories name replica `index` of a service.
std::string instance_name(const Service& service, int index);

const Service* find_service(const Project& project, const std::string& name);

} // namespace holos
