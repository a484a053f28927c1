// The host checks of `holosctl doctor`: can this machine run holos VMs, and what to change if
// not. Every path and program is a field of HostEnvironment, so tests point them at a
// temporary tree and fake programs.
#pragma once

#include "firmware.hpp"
#include "paths.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace holos {

enum class CheckStatus { ok, warn, fail };

struct CheckResult {
    std::string name; // "kvm", "qemu", ...
    CheckStatus status = CheckStatus::ok;
    std::string summary; // what was found
    std::string advice;  // what to do; empty when nothing needs doing
};

struct HostEnvironment {
    Paths paths;
    std::string accel = "kvm"; // from holos.conf
    std::filesystem::path dev_kvm = "/dev/kvm";
    std::filesystem::path sysfs_root = "/sys";
    std::filesystem::path proc_root = "/proc";
    std::filesystem::path linger_dir = "/var/lib/systemd/linger";
    std::string qemu_binary;
    std::string qemu_img_binary;
    std::string systemctl_binary = "/usr/bin/systemctl";
    Firmware firmware;
    std::string user; // the calling user's name, for lingering in user mode
    uid_t uid = 0;    // who should own the state directory
    std::uint64_t warn_free_bytes = 10ULL << 30;
    std::uint64_t fail_free_bytes = 2ULL << 30;
};

// Every check, in a fixed order.
std::vector<CheckResult> run_host_checks(const HostEnvironment& host);

// fail if any check failed, else warn if any warned, else ok.
CheckStatus overall_status(const std::vector<CheckResult>& checks);

const char* status_word(CheckStatus status);

// {"status": "...", "checks": [{"name", "status", "summary", "advice"}, ...]}
std::string checks_json(const std::vector<CheckResult>& checks);

} // namespace holos
