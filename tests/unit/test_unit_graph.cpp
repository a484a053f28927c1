#include "unit_graph.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

Project two_services() {
    Project project;
    project.name = "shop";
    Service web;
    web.name = "web";
    web.image = "debian:12";
    web.replicas = 2;
    Service db;
    db.name = "db";
    db.image = "./db.qcow2";
    project.services = {web, db};
    return project;
}

GraphContext context(Scope scope = Scope::system) {
    Paths paths = system_paths();
    paths.scope = scope;
    return {paths, "tcg", "/usr/libexec/holos", "/usr/bin/qemu-system-x86_64",
            "/run/holos/projects/shop/holos.yaml", {{"web-0", 40000}}, {}};
}

const GeneratedFile* file(const UnitSet& set, const std::string& path) {
    for (const GeneratedFile& f : set.files) {
        if (f.path == path) {
            return &f;
        }
    }
    return nullptr;
}

TEST(UnitGraph, WritesTargetKeysTemplatesAndOneDropInPerInstance) {
    UnitSet set = project_units(two_services(), context());
    std::vector<std::string> paths;
    for (const GeneratedFile& f : set.files) {
        paths.push_back(f.path);
    }
    EXPECT_EQ(paths, (std::vector<std::string>{
                         "holos-shop.target", "holos-shop-keys.service",
                         "holos-shop-web@.service", "holos-shop-web@0.service.d/50-qemu.conf",
                         "holos-shop-web@1.service.d/50-qemu.conf", "holos-shop-db@.service",
                         "holos-shop-db@0.service.d/50-qemu.conf"}));
}

TEST(UnitGraph, TargetWantsEveryInstanceThroughItsTemplate) {
    UnitSet set = project_units(two_services(), context());
    ASSERT_EQ(set.links.size(), 3u);
    EXPECT_EQ(set.links[1].path, "holos-shop.target.wants/holos-shop-web@1.service");
    EXPECT_EQ(set.links[1].target, "../holos-shop-web@.service");
}

TEST(UnitGraph, InstancesArePartOfTheTargetAndNeedTheKeys) {
    UnitSet set = project_units(two_services(), context());
    const GeneratedFile* unit = file(set, "holos-shop-web@.service");
    ASSERT_NE(unit, nullptr);
    EXPECT_NE(unit->content.find("PartOf=holos-shop.target\n"), std::string::npos);
    EXPECT_NE(unit->content.find("Requires=holos-shop-keys.service\n"), std::string::npos);
    EXPECT_NE(unit->content.find("SourcePath=/run/holos/projects/shop/holos.yaml\n"),
              std::string::npos);
    EXPECT_NE(unit->content.find("ExecStartPre=+/usr/libexec/holos/holos-instance prepare shop "
                                 "web %i\n"),
              std::string::npos);
}

bool has_line(const UnitSet& set, const std::string& path, const std::string& line) {
    const GeneratedFile* unit = file(set, path);
    return unit != nullptr && unit->content.find("\n" + line + "\n") != std::string::npos;
}

std::vector<std::string> link_paths(const UnitSet& set) {
    std::vector<std::string> paths;
    for (const GeneratedLink& link : set.links) {
        paths.push_back(link.path + " -> " + link.target);
    }
    return paths;
}

TEST(UnitGraph, OnlyAProjectEnabledAtBootIsWantedByTheBootTargets) {
    GraphContext boot = context();
    EXPECT_EQ(link_paths(project_units(two_services(), boot)).size(), 3u);
    boot.start_at_boot = true;
    std::vector<std::string> links = link_paths(project_units(two_services(), boot));
    ASSERT_EQ(links.size(), 5u);
    EXPECT_EQ(links[3], "multi-user.target.wants/holos-shop.target -> ../holos-shop.target");
    EXPECT_EQ(links[4], "holos.target.wants/holos-shop.target -> ../holos-shop.target");
}

TEST(UnitGraph, AUserProjectEnabledAtBootIsWantedByDefaultTarget) {
    GraphContext boot = context(Scope::user);
    boot.start_at_boot = true;
    std::vector<std::string> links = link_paths(project_units(two_services(), boot));
    ASSERT_EQ(links.size(), 5u);
    EXPECT_EQ(links[3], "default.target.wants/holos-shop.target -> ../holos-shop.target");
}

TEST(UnitGraph, SystemInstancesRunAsADynamicUserThatWritesOnlyItsDirectory) {
    UnitSet set = project_units(two_services(), context());
    const std::string path = "holos-shop-web@.service";
    EXPECT_TRUE(has_line(set, path, "DynamicUser=yes"));
    EXPECT_TRUE(has_line(set, path, "User=holos-shop-web-%i"));
    EXPECT_TRUE(has_line(set, path, "ReadWritePaths=-/var/lib/holos/instances/shop/web-%i"));
    EXPECT_TRUE(has_line(set, path, "CapabilityBoundingSet="));
    EXPECT_TRUE(has_line(set, path, "ProtectSystem=strict"));
    EXPECT_TRUE(has_line(set, path, "MemoryDenyWriteExecute=yes"));
    EXPECT_TRUE(has_line(set, path, "RequiresMountsFor=/var/lib/holos"));
}

TEST(UnitGraph, SystemInstancesRegisterWithMachinedOutsideTheSandbox) {
    UnitSet set = project_units(two_services(), context());
    const std::string path = "holos-shop-web@.service";
    EXPECT_TRUE(has_line(set, path,
                         "ExecStartPost=+/usr/libexec/holos/holos-instance started shop web %i"));
    EXPECT_TRUE(has_line(set, path,
                         "ExecStopPost=+/usr/libexec/holos/holos-instance stopped shop web %i"));
    EXPECT_TRUE(has_line(set, path, "After=holos-shop-keys.service network.target "
                                    "systemd-machined.service"));
}

TEST(UnitGraph, UserInstancesWriteOnlyTheirOwnStateDirectory) {
    GraphContext user = context(Scope::user);
    user.paths.state_dir = "/home/a b/.local/state/holos";
    UnitSet set = project_units(two_services(), user);
    const std::string path = "holos-shop-web@.service";
    EXPECT_TRUE(has_line(set, path,
                         "ReadWritePaths=-\"/home/a b/.local/state/holos/instances/shop/web-\"%i"));
    EXPECT_TRUE(has_line(set, path, "RequiresMountsFor=\"/home/a b/.local/state/holos\""));
    EXPECT_FALSE(has_line(set, path, "DynamicUser=yes"));
    EXPECT_TRUE(has_line(set, path, "CapabilityBoundingSet="));
    EXPECT_FALSE(has_line(set, path, "ProtectProc=invisible"));
    EXPECT_EQ(file(set, path)->content.find("ExecStartPost="), std::string::npos);
    EXPECT_TRUE(has_line(set, path, "PrivateUsers=yes"));
}

TEST(UnitGraph, TcgGetsAPrivateDevAndKvmOnlyItsDevice) {
    Project project = two_services();
    project.services[1].vm.accel = "kvm";
    UnitSet set = project_units(project, context());
    EXPECT_TRUE(has_line(set, "holos-shop-web@.service", "PrivateDevices=yes"));
    EXPECT_FALSE(has_line(set, "holos-shop-web@.service", "DeviceAllow=/dev/kvm rw"));
    EXPECT_TRUE(has_line(set, "holos-shop-db@.service", "DeviceAllow=/dev/kvm rw"));
    EXPECT_TRUE(has_line(set, "holos-shop-db@.service", "DevicePolicy=closed"));
    EXPECT_TRUE(has_line(set, "holos-shop-db@.service", "SupplementaryGroups=kvm"));
    EXPECT_FALSE(has_line(set, "holos-shop-db@.service", "PrivateDevices=yes"));
}

TEST(UnitGraph, LongUserNamesAreHashedToFitSystemdsLimit) {
    Project project = two_services();
    project.name = "a-project-with-a-long-name";
    UnitSet set = project_units(project, context());
    const GeneratedFile* unit = file(set, "holos-a-project-with-a-long-name-db@.service");
    ASSERT_NE(unit, nullptr);
    size_t at = unit->content.find("\nUser=holos-");
    ASSERT_NE(at, std::string::npos);
    std::string user = unit->content.substr(at + 6, unit->content.find('\n', at + 1) - at - 6);
    EXPECT_EQ(user.size(), std::string("holos-12345678-%i").size()) << user;
    EXPECT_TRUE(has_line(set, "holos-a-project-with-a-long-name-web@.service", "User=" + user) ==
                false);
}

TEST(UnitGraph, DropInCarriesTheQemuCommandLineWithSshWhenAllocated) {
    UnitSet set = project_units(two_services(), context());
    const std::string& with_ssh = file(set, "holos-shop-web@0.service.d/50-qemu.conf")->content;
    const std::string& without = file(set, "holos-shop-web@1.service.d/50-qemu.conf")->content;
    EXPECT_NE(with_ssh.find("ExecStart=/usr/bin/qemu-system-x86_64 "), std::string::npos);
    EXPECT_NE(with_ssh.find("hostfwd=tcp:127.0.0.1:40000-:22"), std::string::npos);
    EXPECT_EQ(without.find("-:22"), std::string::npos);
}

TEST(UnitGraph, UserScopePassesUserToTheHelper) {
    UnitSet set = project_units(two_services(), context(Scope::user));
    EXPECT_NE(file(set, "holos-shop-keys.service")->content.find("holos-instance --user keys"),
              std::string::npos);
}

TEST(UnitGraph, OutputIsDeterministic) {
    UnitSet a = project_units(two_services(), context());
    UnitSet b = project_units(two_services(), context());
    ASSERT_EQ(a.files.size(), b.files.size());
    for (size_t i = 0; i < a.files.size(); ++i) {
        EXPECT_EQ(a.files[i].content, b.files[i].content) << a.files[i].path;
    }
}

TEST(UnitGraph, RestartPolicyMapsOntoSystemd) {
    Project project = two_services();
    project.services[0].restart = RestartPolicy::unless_stopped;
    project.services[1].restart = RestartPolicy::on_failure;
    UnitSet set = project_units(project, context());
    const std::string& web = file(set, "holos-shop-web@.service")->content;
    const std::string& db = file(set, "holos-shop-db@.service")->content;
    EXPECT_NE(web.find("Restart=always\n"), std::string::npos);
    EXPECT_NE(web.find("StartLimitBurst=5\n"), std::string::npos);
    EXPECT_NE(db.find("Restart=on-failure\n"), std::string::npos);
}

TEST(UnitGraph, StopGracePeriodRoundsUpToSecondsAndPadsTheStopTimeout) {
    Project project = two_services();
    project.services[0].stop_grace_period_ms = 1500;
    UnitSet set = project_units(project, context());
    const std::string& web = file(set, "holos-shop-web@.service")->content;
    EXPECT_NE(web.find("stop --grace-seconds 2 shop web %i\n"), std::string::npos);
    EXPECT_NE(web.find("TimeoutStopSec=12\n"), std::string::npos);
}

TEST(InstanceUnits, ListsEveryReplicaInFileOrder) {
    Project project = two_services();
    std::vector<InstanceUnit> all = instance_units(project);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[1].instance, "web-1");
    EXPECT_EQ(all[1].unit, "holos-shop-web@1.service");
    EXPECT_EQ(all[2].instance, "db-0");
}

} // namespace
} // namespace holos
