// A nested paravirtual KVM (the kvm_pvm module, as some cloud sandboxes offer) opens and
// answers KVM_GET_API_VERSION like hardware KVM, but stock guest kernels hang on it. The
// loaded vendor module tells them apart: kvm_intel or kvm_amd drive hardware virtualisation,
// kvm_pvm the paravirtual kind, and only one vendor module can be loaded at a time.
#include "host_checks.hpp"

#include "process.hpp"

#include <fcntl.h>
#include <linux/kvm.h>
#include <nlohmann/json.hpp>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>

namespace holos {
namespace {

constexpr int kMinimumSystemd = 249;

bool path_exists(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

std::string kvm_vendor_module(const HostEnvironment& host) {
    for (const char* module : {"kvm_pvm", "kvm_intel", "kvm_amd"}) {
        if (path_exists(host.sysfs_root / "module" / module)) {
            return module;
        }
    }
    return "";
}

CheckResult check_kvm(const HostEnvironment& host) {
    CheckResult result{"kvm", CheckStatus::ok, "", ""};
    bool tcg = host.accel == "tcg";
    int fd = ::open(host.dev_kvm.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        result.summary = "cannot open " + host.dev_kvm.string() + ": " + std::strerror(errno);
        result.status = tcg ? CheckStatus::ok : CheckStatus::fail;
        result.advice = tcg ? ""
                            : "load kvm_intel or kvm_amd (or let holos use the root "
                              "manager), or set \"accel = tcg\" in holos.conf";
        return result;
    }
    int version = ::ioctl(fd, KVM_GET_API_VERSION, 0);
    ::close(fd);
    if (version != KVM_API_VERSION) {
        result.summary = host.dev_kvm.string() + " does not answer KVM_GET_API_VERSION";
        result.status = tcg ? CheckStatus::ok : CheckStatus::fail;
        result.advice = tcg ? "" : "set \"accel = tcg\" in holos.conf";
        return result;
    }
    std::string module = kvm_vendor_module(host);
    if (module == "kvm_pvm") {
        result.summary = "KVM API " + std::to_string(version) +
                         " from kvm_pvm, a nested paravirtual KVM that hangs stock guest "
                         "kernels" +
                         (tcg ? "; accel = tcg is set" : "");
        result.status = tcg ? CheckStatus::ok : CheckStatus::fail;
        result.advice = tcg ? "" : "set \"accel = tcg\" in holos.conf";
        return result;
    }
    result.summary = "KVM API " + std::to_string(version) +
                     (module.empty() ? std::string() : " (" + module + ")") +
                     (tcg ? "; accel = tcg is set, so guests do not use it" : "");
    result.advice = tcg ? "set \"accel = kvm\" in holos.conf for faster guests" : "";
    result.status = tcg ? CheckStatus::warn : CheckStatus::ok;
    return result;
}

// The first line of `binary --version`, or "" when it cannot run.
std::string version_line(const std::string& binary) {
    if (::access(binary.c_str(), X_OK) != 0) {
        return "";
    }
    try {
        CommandResult result = run_command({binary, "--version"});
        std::string line = result.output.substr(0, result.output.find('\n'));
        return result.exit_code == 0 ? line : "";
    } catch (const std::exception&) {
        return "";
    }
}

CheckResult check_program(const char* name, const std::string& binary, const char* package) {
    std::string line = version_line(binary);
    std::smatch match;
    if (line.empty() ||
        !std::regex_search(line, match, std::regex(R"(version (\d+\.\d+(\.\d+)?))"))) {
        return {name, CheckStatus::fail, binary + " is missing or does not run",
                std::string("install it (Debian package ") + package + ")"};
    }
    return {name, CheckStatus::ok, binary + " " + match[1].str(), ""};
}

CheckResult check_firmware(const HostEnvironment& host) {
    for (const std::filesystem::path& file : {host.firmware.code, host.firmware.vars_template}) {
        if (!path_exists(file)) {
            return {"ovmf", CheckStatus::warn, file.string() + " is missing",
                    "install it (Debian package ovmf) to use vm.uefi and devices"};
        }
    }
    return {"ovmf", CheckStatus::ok, host.firmware.code.string(), ""};
}

std::string read_line(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

CheckResult check_systemd(const HostEnvironment& host) {
    std::string line = version_line(host.systemctl_binary);
    std::smatch match;
    if (!std::regex_search(line, match, std::regex(R"(^systemd (\d+))"))) {
        return {"systemd", CheckStatus::fail, host.systemctl_binary + " is missing",
                "install systemd"};
    }
    int version = std::stoi(match[1].str());
    if (version < kMinimumSystemd) {
        return {"systemd", CheckStatus::fail, "systemd " + match[1].str(),
                "holos needs systemd " + std::to_string(kMinimumSystemd) + " or newer"};
    }
    if (host.paths.scope == Scope::system &&
        read_line(host.proc_root / "1" / "comm") != "systemd") {
        return {"systemd", CheckStatus::fail,
                "systemd " + match[1].str() + ", but it is not PID 1 here",
                "holos needs a running systemd; in a container, boot one (see "
                "tests/harness/holos-ns)"};
    }
    return {"systemd", CheckStatus::ok, "systemd " + match[1].str(), ""};
}

CheckResult check_linger(const HostEnvironment& host) {
    if (path_exists(host.linger_dir / host.user)) {
        return {"linger", CheckStatus::ok, "lingering is on for " + host.user, ""};
    }
    return {"linger", CheckStatus::warn,
            "lingering is off for " + host.user + ": VMs stop when the last session ends",
            "loginctl enable-linger " + host.user};
}

CheckResult check_state_dir(const HostEnvironment& host) {
    const std::filesystem::path& dir = host.paths.state_dir;
    struct stat st {};
    if (::stat(dir.c_str(), &st) < 0) {
        return {"state", CheckStatus::ok, dir.string() + " does not exist yet; up creates it", ""};
    }
    if (!S_ISDIR(st.st_mode)) {
        return {"state", CheckStatus::fail, dir.string() + " is not a directory", "move it away"};
    }
    if (st.st_uid != host.uid) {
        return {"state", CheckStatus::fail,
                dir.string() + " belongs to uid " + std::to_string(st.st_uid),
                "chown " + std::to_string(host.uid) + " " + dir.string()};
    }
    if ((st.st_mode & 022) != 0) {
        return {"state", CheckStatus::warn,
                dir.string() + " is writable by others (it holds SSH keys and disks)",
                "chmod go-w " + dir.string()};
    }
    if (::access(dir.c_str(), W_OK) != 0) {
        return {"state", CheckStatus::fail, dir.string() + " is not writable", ""};
    }
    return {"state", CheckStatus::ok, dir.string(), ""};
}

CheckResult check_free_disk(const HostEnvironment& host) {
    std::filesystem::path dir = host.paths.image_store();
    while (!path_exists(dir) && dir.has_parent_path() && dir != dir.parent_path()) {
        dir = dir.parent_path();
    }
    struct statvfs fs {};
    if (::statvfs(dir.c_str(), &fs) < 0) {
        return {"disk", CheckStatus::fail, "cannot read the free space of " + dir.string(), ""};
    }
    std::uint64_t free = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
    std::string summary = std::to_string(free >> 30) + " GiB free for images in " + dir.string();
    if (free < host.fail_free_bytes) {
        return {"disk", CheckStatus::fail, summary,
                "free some space: images and disks need "
                "several GiB"};
    }
    if (free < host.warn_free_bytes) {
        return {"disk", CheckStatus::warn, summary, "a few images and instance disks fill it"};
    }
    return {"disk", CheckStatus::ok, summary, ""};
}

} // namespace

std::vector<CheckResult> run_host_checks(const HostEnvironment& host) {
    std::vector<CheckResult> checks = {
        check_kvm(host),
        check_program("qemu", host.qemu_binary, "qemu-system-x86"),
        check_program("qemu-img", host.qemu_img_binary, "qemu-utils"),
        check_firmware(host),
        check_systemd(host),
    };
    if (host.paths.scope == Scope::user) {
        checks.push_back(check_linger(host));
    }
    checks.push_back(check_state_dir(host));
    checks.push_back(check_free_disk(host));
    return checks;
}

CheckStatus overall_status(const std::vector<CheckResult>& checks) {
    CheckStatus worst = CheckStatus::ok;
    for (const CheckResult& check : checks) {
        worst = std::max(worst, check.status);
    }
    return worst;
}

const char* status_word(CheckStatus status) {
    switch (status) {
    case CheckStatus::ok:
        return "ok";
    case CheckStatus::warn:
        return "warn";
    case CheckStatus::fail:
        return "fail";
    }
    return "";
}

std::string checks_json(const std::vector<CheckResult>& checks) {
    nlohmann::json out;
    out["status"] = status_word(overall_status(checks));
    out["checks"] = nlohmann::json::array();
    for (const CheckResult& check : checks) {
        out["checks"].push_back({{"name", check.name},
                                 {"status", status_word(check.status)},
                                 {"summary", check.summary},
                                 {"advice", check.advice}});
    }
    return out.dump(2) + "\n";
}

} // namespace holos
