#include "qemu_args.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace holos {
namespace {

Project sample_project() {
    Project project;
    project.name = "demo";
    Service web;
    web.name = "web";
    web.image = "debian:12";
    web.replicas = 2;
    web.vm.vcpu = 2;
    web.vm.memory_mib = 2048;
    web.ports = {{"127.0.0.1", 8080, 80, "tcp"}, {"0.0.0.0", 9000, 9000, "tcp"}};
    project.services.push_back(web);
    return project;
}

std::string value_after(const std::vector<std::string>& argv, const std::string& flag,
                        int occurrence = 0) {
    for (size_t i = 0; i + 1 < argv.size(); ++i) {
        if (argv[i] == flag && occurrence-- == 0) {
            return argv[i + 1];
        }
    }
    return "<missing>";
}

QemuInstance instance_of(const Project& project, int index, InstanceFiles files = {}) {
    if (files.overlay.empty()) {
        files = instance_files(system_paths(), project.name,
                               instance_name(project.services[0], index));
    }
    return {project, project.services[0], index, files, 40022, "tcg", "/usr/bin/qemu",
            {},      {},       {},    {}};
}

TEST(QemuArgs, ShiftsHostPortsByReplicaIndexAndAddsSsh) {
    Project project = sample_project();
    std::vector<std::string> argv = qemu_argv(instance_of(project, 1));
    EXPECT_EQ(value_after(argv, "-netdev"),
              "user,id=net0,hostfwd=tcp:127.0.0.1:8081-:80,hostfwd=tcp:0.0.0.0:9001-:9000,"
              "hostfwd=tcp:127.0.0.1:40022-:22");
}

TEST(QemuArgs, UsesVmResourcesAndAccelerator) {
    Project project = sample_project();
    std::vector<std::string> argv = qemu_argv(instance_of(project, 0));
    EXPECT_EQ(argv.front(), "/usr/bin/qemu");
    EXPECT_EQ(value_after(argv, "-smp"), "2");
    EXPECT_EQ(value_after(argv, "-m"), "2048");
    EXPECT_EQ(value_after(argv, "-accel"), "tcg,split-wx=on");
    EXPECT_EQ(value_after(argv, "-cpu"), "max");
    EXPECT_NE(std::find(argv.begin(), argv.end(), "-nodefaults"), argv.end());
}

TEST(QemuArgs, KvmUsesTheHostCpuModel) {
    Project project = sample_project();
    QemuInstance instance = instance_of(project, 0);
    instance.accel = "kvm";
    EXPECT_EQ(value_after(qemu_argv(instance), "-cpu"), "host");
}

TEST(QemuArgs, CommaInAPathCannotInjectOptions) {
    Project project = sample_project();
    InstanceFiles files{"/x/a,format=raw/overlay.qcow2", "/x/seed.iso", "/x/console.log",
                        "/x/qmp.sock", "/x/console.sock", "/x/ssh_host_key", "/x/instance-id",
                        "/x/efi-vars.fd", "/x/digest"};
    std::vector<std::string> argv = qemu_argv(instance_of(project, 0, files));
    EXPECT_EQ(value_after(argv, "-drive"),
              "file=/x/a,,format=raw/overlay.qcow2,if=none,id=root,format=qcow2,discard=unmap");
}

TEST(QemuArgs, JoinsTheSegmentOnLoopbackAsASecondNic) {
    Project project = sample_project();
    QemuInstance instance = instance_of(project, 0);
    instance.segment = SegmentNic{{"239.192.3.4", 21000}, "52:54:39:0a:0a:02"};
    std::vector<std::string> argv = qemu_argv(instance);
    EXPECT_EQ(value_after(argv, "-netdev", 1),
              "socket,id=net1,mcast=239.192.3.4:21000,localaddr=127.0.0.1");
    EXPECT_EQ(value_after(argv, "-device", 3), "virtio-net-pci,netdev=net1,mac=52:54:39:0a:0a:02");
}

TEST(QemuArgs, HasOnlyTheUplinkWithoutASegment) {
    Project project = sample_project();
    std::vector<std::string> argv = qemu_argv(instance_of(project, 0));
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "-netdev"), 1);
}

TEST(QemuArgs, OmitsSshForwardWhenNoPortIsAllocated) {
    Project project = sample_project();
    QemuInstance instance = instance_of(project, 0);
    instance.ssh_port.reset();
    EXPECT_EQ(value_after(qemu_argv(instance), "-netdev").find(":22"), std::string::npos);
}

TEST(QemuArgs, ConsoleAndQmpSocketsLiveInTheInstanceFiles) {
    Project project = sample_project();
    std::vector<std::string> argv = qemu_argv(instance_of(project, 0));
    EXPECT_EQ(value_after(argv, "-qmp"),
              "unix:/run/holos/instances/demo/web-0/qmp.sock,server=on,wait=off");
    EXPECT_EQ(value_after(argv, "-chardev"),
              "socket,id=console,path=/run/holos/instances/demo/web-0/console.sock,server=on,"
              "wait=off,logfile=/var/lib/holos/instances/demo/web-0/console.log,logappend=on");
}

TEST(QemuArgs, VmSettingsOverrideMachineCpuAndAccelerator) {
    Project project = sample_project();
    project.services[0].vm.machine = "pc";
    project.services[0].vm.cpu_model = "qemu64,+ssse3";
    project.services[0].vm.accel = "kvm";
    std::vector<std::string> argv = qemu_argv(instance_of(project, 0));
    EXPECT_EQ(value_after(argv, "-machine"), "pc");
    EXPECT_EQ(value_after(argv, "-cpu"), "qemu64,+ssse3");
    EXPECT_EQ(value_after(argv, "-accel"), "kvm");
}

TEST(QemuArgs, ExtraArgumentsComeLastAndUnchanged) {
    Project project = sample_project();
    project.services[0].vm.extra_args = {"-device", "virtio-balloon-pci,id=b,x=1"};
    std::vector<std::string> argv = qemu_argv(instance_of(project, 0));
    ASSERT_GE(argv.size(), 2u);
    EXPECT_EQ(argv[argv.size() - 2], "-device");
    EXPECT_EQ(argv.back(), "virtio-balloon-pci,id=b,x=1");
}

TEST(QemuArgs, UdpAndAllocatedForwards) {
    Project project = sample_project();
    project.services[0].ports = {{"127.0.0.1", 5353, 53, "udp"}, {"127.0.0.1", 0, 80, "tcp"}};
    QemuInstance instance = instance_of(project, 1);
    instance.ssh_port.reset();
    EXPECT_EQ(value_after(qemu_argv(instance), "-netdev"),
              "user,id=net0,hostfwd=udp:127.0.0.1:5354-:53");
    instance.allocated = {{"80/tcp", 41234}};
    EXPECT_EQ(value_after(qemu_argv(instance), "-netdev"),
              "user,id=net0,hostfwd=udp:127.0.0.1:5354-:53,hostfwd=tcp:127.0.0.1:41234-:80");
}

TEST(InstanceMac, IsStableLocalAndDistinctPerInstance) {
    EXPECT_EQ(instance_mac("demo", "web-0"), instance_mac("demo", "web-0"));
    EXPECT_NE(instance_mac("demo", "web-0"), instance_mac("demo", "web-1"));
    EXPECT_EQ(instance_mac("demo", "web-0").substr(0, 9), "52:54:00:");
    EXPECT_EQ(instance_mac("demo", "web-0").size(), 17u);
}

} // namespace
} // namespace holos
