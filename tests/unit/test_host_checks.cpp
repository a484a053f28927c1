// holosctl doctor's checks against injected roots: a fake /dev/kvm, sysfs module directories,
// /proc/1/comm, the linger directory, fake qemu and systemctl programs, and a state directory.
#include "host_checks.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace holos {
namespace {

using testing_support::TempDir;

std::string fake_program(const TempDir& dir, const std::string& name, const std::string& line) {
    std::filesystem::path path = dir.path() / name;
    std::ofstream(path) << "#!/bin/sh\necho '" << line << "'\n";
    ::chmod(path.c_str(), 0755);
    return path.string();
}

// A host where everything is in order, under `dir`.
HostEnvironment healthy_host(const TempDir& dir) {
    HostEnvironment host;
    host.paths.scope = Scope::system;
    host.paths.state_dir = dir.path() / "state";
    std::filesystem::create_directories(host.paths.state_dir);
    ::chmod(host.paths.state_dir.c_str(), 0755);
    host.accel = "tcg";
    host.dev_kvm = dir.path() / "no-kvm";
    host.sysfs_root = dir.path() / "sys";
    host.proc_root = dir.path() / "proc";
    std::filesystem::create_directories(host.proc_root / "1");
    std::ofstream(host.proc_root / "1" / "comm") << "systemd\n";
    host.linger_dir = dir.path() / "linger";
    host.qemu_binary = fake_program(dir, "qemu", "QEMU emulator version 7.2.19 (Debian 1:7.2)");
    host.qemu_img_binary = fake_program(dir, "qemu-img", "qemu-img version 7.2.19 (Debian)");
    host.systemctl_binary = fake_program(dir, "systemctl", "systemd 252 (252.39-1~deb12u2)");
    std::ofstream(dir.path() / "CODE.fd") << "c";
    std::ofstream(dir.path() / "VARS.fd") << "v";
    host.firmware = {dir.path() / "CODE.fd", dir.path() / "VARS.fd"};
    host.user = "alice";
    host.uid = ::getuid();
    host.warn_free_bytes = 0;
    host.fail_free_bytes = 0;
    return host;
}

CheckResult check_named(const HostEnvironment& host, const std::string& name) {
    for (const CheckResult& check : run_host_checks(host)) {
        if (check.name == name) {
            return check;
        }
    }
    throw std::runtime_error("no check " + name);
}

TEST(HostChecks, AHealthyHostPassesEveryCheck) {
    TempDir dir;
    std::vector<CheckResult> checks = run_host_checks(healthy_host(dir));
    std::vector<std::string> names;
    for (const CheckResult& check : checks) {
        names.push_back(check.name);
        EXPECT_EQ(check.status, CheckStatus::ok) << check.name << ": " << check.summary;
    }
    EXPECT_EQ(names, (std::vector<std::string>{"kvm", "qemu", "qemu-img", "ovmf", "systemd",
                                               "state", "disk"}));
    EXPECT_EQ(check_named(healthy_host(dir), "qemu").summary, dir.path().string() + "/qemu 7.2.19");
}

TEST(HostChecks, MissingKvmFailsUnlessTcgIsSet) {
    TempDir dir;
    HostEnvironment host = healthy_host(dir);
    host.accel = "kvm";
    CheckResult kvm = check_named(host, "kvm");
    EXPECT_EQ(kvm.status, CheckStatus::fail);
    EXPECT_EQ(kvm.summary, "cannot open " + host.dev_kvm.string() + ": No such file or directory");
    EXPECT_EQ(kvm.advice, "load kvm_intel or kvm_amd (or let holos use the root manager), or set "
                          "\"accel = tcg\" in holos.conf");
}

TEST(HostChecks, ADeviceThatIsNotKvmFails) {
    TempDir dir;
    HostEnvironment host = healthy_host(dir);
    host.accel = "kvm";
    host.dev_kvm = dir.path() / "plain-file";
    std::ofstream(host.dev_kvm) << "";
    EXPECT_EQ(check_named(host, "kvm").summary,
              host.dev_kvm.string() + " does not answer KVM_GET_API_VERSION");
}

// These need a real /dev/kvm to answer the ioctl; the vendor module comes from the fake sysfs.
TEST(HostChecks, RecognisesNestedParavirtualKvm) {
    int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        GTEST_SKIP() << "no usable /dev/kvm here";
    }
    ::close(fd);
    TempDir dir;
    HostEnvironment host = healthy_host(dir);
    host.dev_kvm = "/dev/kvm";
    host.accel = "kvm";
    std::filesystem::create_directories(host.sysfs_root / "module" / "kvm_pvm");
    CheckResult pvm = check_named(host, "kvm");
    EXPECT_EQ(pvm.status, CheckStatus::fail);
    EXPECT_EQ(pvm.summary,
              "KVM API 12 from kvm_pvm, a nested paravirtual KVM that hangs stock guest kernels");
    EXPECT_EQ(pvm.advice, "set \"accel = tcg\" in holos.conf");
    host.accel = "tcg";
    EXPECT_EQ(check_named(host, "kvm").status, CheckStatus::ok);

    std::filesystem::remove_all(host.sysfs_root / "module" / "kvm_pvm");
    std::filesystem::create_directories(host.sysfs_root / "module" / "kvm_intel");
    host.accel = "kvm";
    CheckResult hardware = check_named(host, "kvm");
    EXPECT_EQ(hardware.status, CheckStatus::ok);
    EXPECT_EQ(hardware.summary, "KVM API 12 (kvm_intel)");
}

TEST(HostChecks, MissingProgramsAndFirmwareNameTheirPackages) {
    TempDir dir;
    HostEnvironment host = healthy_host(dir);
    host.qemu_img_binary = "/nonexistent/qemu-img";
    host.firmware.vars_template = "/nonexistent/VARS.fd";
    CheckResult qemu_img = check_named(host, "qemu-img");
    EXPECT_EQ(qemu_img.status, CheckStatus::fail);
    EXPECT_EQ(qemu_img.advice, "install it (Debian package qemu-utils)");
    CheckResult ovmf = check_named(host, "ovmf");
    EXPECT_EQ(ovmf.status, CheckStatus::warn);
    EXPECT_EQ(ovmf.summary, "/nonexistent/VARS.fd is missing");
}

TEST(HostChecks, SystemdMustBeRecentAndPidOne) {
    TempDir dir;
    HostEnvironment host = healthy_host(dir);
    std::ofstream(host.proc_root / "1" / "comm") << "bash\n";
    EXPECT_EQ(check_named(host, "systemd").summary, "systemd 252, but it is not PID 1 here");
    host.systemctl_binary = fake_program(dir, "old-systemctl", "systemd 245 (245.4)");
    CheckResult old = check_named(host, "systemd");
    EXPECT_EQ(old.status, CheckStatus::fail);
    EXPECT_EQ(old.advice, "holos needs systemd 249 or newer");
}

TEST(HostChecks, UserModeWantsLingering) {
    TempDir dir;
    HostEnvironment host = healthy_host(dir);
    host.paths.scope = Scope::user;
    CheckResult linger = check_named(host, "linger");
    EXPECT_EQ(linger.status, CheckStatus::warn);
    EXPECT_EQ(linger.advice, "loginctl enable-linger alice");
    std::filesystem::create_directories(host.linger_dir);
    std::ofstream(host.linger_dir / "alice") << "";
    EXPECT_EQ(check_named(host, "linger").status, CheckStatus::ok);
}

TEST(HostChecks, StateDirectoryMustBelongToTheUserAndNotBeWritableByOthers) {
    TempDir dir;
    HostEnvironment host = healthy_host(dir);
    ::chmod(host.paths.state_dir.c_str(), 0777);
    CheckResult open = check_named(host, "state");
    EXPECT_EQ(open.status, CheckStatus::warn);
    EXPECT_EQ(open.advice, "chmod go-w " + host.paths.state_dir.string());
    host.uid = ::getuid() + 1;
    EXPECT_EQ(check_named(host, "state").status, CheckStatus::fail);
    host.paths.state_dir = dir.path() / "not-yet";
    EXPECT_EQ(check_named(host, "state").status, CheckStatus::ok);
}

TEST(HostChecks, LittleFreeDiskWarnsThenFails) {
    TempDir dir;
    HostEnvironment host = healthy_host(dir);
    host.warn_free_bytes = UINT64_MAX;
    EXPECT_EQ(check_named(host, "disk").status, CheckStatus::warn);
    host.fail_free_bytes = UINT64_MAX;
    EXPECT_EQ(check_named(host, "disk").status, CheckStatus::fail);
}

TEST(HostChecks, JsonHasTheOverallStatusAndEveryCheck) {
    TempDir dir;
    HostEnvironment host = healthy_host(dir);
    host.firmware.code = "/nonexistent/CODE.fd";
    nlohmann::json json = nlohmann::json::parse(checks_json(run_host_checks(host)));
    EXPECT_EQ(json["status"], "warn");
    ASSERT_EQ(json["checks"].size(), 7u);
    EXPECT_EQ(json["checks"][3], (nlohmann::json{{"name", "ovmf"},
                                                 {"status", "warn"},
                                                 {"summary", "/nonexistent/CODE.fd is missing"},
                                                 {"advice", "install it (Debian package ovmf) to "
                                                            "use vm.uefi and devices"}}));
}

} // namespace
} // namespace holos
