#include "unit_graph.hpp"

#include <algorithm>
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
            "/run/holos/projects/shop/holos.yaml", {{"web-0", 40000}}, {}, std::nullopt,
            "/usr/lib/qemu/virtiofsd", false, false};
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
    EXPECT_EQ(paths,
              (std::vector<std::string>{
                  "holos-shop.target", "holos-shop-keys.service", "holos-shop-image@.service",
                  "holos-shop-web@.service", "holos-shop-web_console@.service",
                  "holos-shop-web_machine@.service", "holos-shop-web@0.service.d/50-qemu.conf",
                  "holos-shop-web@1.service.d/50-qemu.conf", "holos-shop-db@.service",
                  "holos-shop-db_console@.service", "holos-shop-db_machine@.service",
                  "holos-shop-db@0.service.d/50-qemu.conf"}));
}

TEST(UnitGraph, EachInstanceWantsItsConsoleCopierWhichStopsWithIt) {
    UnitSet set = project_units(two_services(), context());
    const GeneratedFile* instance = file(set, "holos-shop-web@.service");
    const GeneratedFile* console = file(set, "holos-shop-web_console@.service");
    ASSERT_NE(instance, nullptr);
    ASSERT_NE(console, nullptr);
    EXPECT_NE(instance->content.find("Wants=holos-shop-web_console@%i.service\n"),
              std::string::npos);
    EXPECT_NE(console->content.find("PartOf=holos-shop-web@%i.service\n"), std::string::npos);
    EXPECT_NE(console->content.find("Before=holos-shop-web@%i.service\n"), std::string::npos);
    EXPECT_NE(console->content.find("ExecStart=/usr/libexec/holos/holos-instance console-log "
                                    "shop web %i\n"),
              std::string::npos);
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

TEST(UnitGraph, SystemInstancesRegisterWithMachinedOnceQemuRuns) {
    UnitSet set = project_units(two_services(), context());
    const std::string instance = "holos-shop-web@.service";
    const std::string machine = "holos-shop-web_machine@.service";
    EXPECT_TRUE(has_line(set, instance, "Wants=holos-shop-web_machine@%i.service"));
    EXPECT_EQ(file(set, instance)->content.find("ExecStartPost="), std::string::npos);
    EXPECT_TRUE(has_line(set, machine, "BindsTo=holos-shop-web@%i.service"));
    EXPECT_TRUE(has_line(set, machine,
                         "After=holos-shop-web@%i.service holos-shop.target "
                         "systemd-machined.service"));
    EXPECT_TRUE(has_line(set, machine, "Type=oneshot"));
    EXPECT_TRUE(has_line(set, machine, "RemainAfterExit=yes"));
    EXPECT_TRUE(
        has_line(set, machine, "ExecStart=/usr/libexec/holos/holos-instance register shop web %i"));
}

TEST(UnitGraph, SystemInstancesUnregisterAfterQemuStopsOutsideTheSandbox) {
    UnitSet set = project_units(two_services(), context());
    const std::string path = "holos-shop-web@.service";
    EXPECT_TRUE(has_line(set, path,
                         "ExecStopPost=+/usr/libexec/holos/holos-instance stopped shop web %i"));
    EXPECT_TRUE(has_line(set, path, "After=holos-shop-keys.service network.target "
                                    "systemd-machined.service"));
}

TEST(UnitGraph, UserInstancesHaveNoMachineUnit) {
    UnitSet set = project_units(two_services(), context(Scope::user));
    EXPECT_EQ(file(set, "holos-shop-web_machine@.service"), nullptr);
    EXPECT_FALSE(
        has_line(set, "holos-shop-web@.service", "Wants=holos-shop-web_machine@%i.service"));
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

TEST(UnitGraph, DropInJoinsTheProjectSegmentWithTheInstancesMac) {
    GraphContext with_network = context();
    with_network.network = ProjectNetwork{
        {0x0a0a0000, 24}, {"239.192.3.4", 21000}, {{"web-0", 0x0a0a0002}, {"web-1", 0x0a0a0003}}};
    UnitSet set = project_units(two_services(), with_network);
    const std::string& web1 = file(set, "holos-shop-web@1.service.d/50-qemu.conf")->content;
    const std::string& db0 = file(set, "holos-shop-db@0.service.d/50-qemu.conf")->content;
    EXPECT_NE(web1.find("-netdev socket,id=net1,mcast=239.192.3.4:21000,localaddr=127.0.0.1 "),
              std::string::npos);
    EXPECT_NE(web1.find("netdev=net1,mac=" + segment_mac("shop", 0x0a0a0003)), std::string::npos);
    EXPECT_EQ(db0.find("net1"), std::string::npos) << "db-0 has no address in this network";
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
    UnitSet web_units = project_units(project, context());
    const std::string& web = file(web_units, "holos-shop-web@.service")->content;
    EXPECT_NE(web.find("stop --grace-seconds 2 shop web %i\n"), std::string::npos);
    EXPECT_NE(web.find("TimeoutStopSec=12\n"), std::string::npos);
}

TEST(UnitGraph, AnInstanceOfAStoreImageRequiresAndFollowsItsImageUnit) {
    UnitSet set = project_units(two_services(), context());
    const std::string& web = file(set, "holos-shop-web@.service")->content;
    EXPECT_NE(web.find("Requires=holos-shop-image@debian:12.service\n"
                       "After=holos-shop-image@debian:12.service\n"),
              std::string::npos);
}

TEST(UnitGraph, AnInstanceOfAnImageFileHasNoImageUnit) {
    UnitSet set = project_units(two_services(), context());
    const std::string& db = file(set, "holos-shop-db@.service")->content;
    EXPECT_EQ(db.find("-image@"), std::string::npos);
}

TEST(UnitGraph, TheImageUnitPullsAfterTheNetworkWithALongStartTimeout) {
    UnitSet set = project_units(two_services(), context());
    const std::string& image = file(set, "holos-shop-image@.service")->content;
    EXPECT_NE(image.find("Type=oneshot\n"), std::string::npos);
    EXPECT_NE(image.find("Wants=network-online.target\nAfter=network-online.target\n"),
              std::string::npos);
    EXPECT_NE(image.find("ExecStart=/usr/libexec/holos/holos-instance pull %i\n"),
              std::string::npos);
    EXPECT_NE(image.find("TimeoutStartSec=1h\n"), std::string::npos);
    EXPECT_NE(image.find("PartOf=holos-shop.target\n"), std::string::npos);
}

TEST(UnitGraph, AProjectOfImageFilesOnlyHasNoImageTemplate) {
    Project project = two_services();
    project.services.erase(project.services.begin());
    EXPECT_EQ(file(project_units(project, context()), "holos-shop-image@.service"), nullptr);
}

TEST(ImageUnits, NamesEachStoreImageOnceByItsCanonicalReference) {
    Project project = two_services();
    Service alias = project.services[0];
    alias.name = "api";
    alias.image = "debian:bookworm";
    Service bare = alias;
    bare.name = "cache";
    bare.image = "myimage";
    project.services.push_back(alias);
    project.services.push_back(bare);
    std::vector<ImageUnit> units = image_units(project);
    ASSERT_EQ(units.size(), 2u);
    EXPECT_EQ(units[0].unit, "holos-shop-image@debian:12.service");
    EXPECT_EQ(units[1].unit, "holos-shop-image@myimage:latest.service");
}

// ---- depends_on, health, storage -----------------------------------------------------------

// db (2 replicas, healthcheck) <- api (healthy) ; migrate (completion) <- api ; web -> api.
Project layered() {
    Project project;
    project.name = "shop";
    Service db;
    db.name = "db";
    db.image = "debian:12";
    db.replicas = 2;
    db.healthcheck = Healthcheck{{{"pg_isready"}, ""}, 5000, 3000, 4, 60000, false};
    Service migrate;
    migrate.name = "migrate";
    migrate.image = "debian:12";
    migrate.restart = RestartPolicy::on_failure;
    Service api;
    api.name = "api";
    api.image = "debian:12";
    api.depends_on = {{"db", DependencyCondition::service_healthy},
                      {"migrate", DependencyCondition::service_completed_successfully}};
    Service web;
    web.name = "web";
    web.image = "debian:12";
    web.depends_on = {{"api", DependencyCondition::service_started}};
    project.services = {db, migrate, api, web};
    return project;
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(UnitGraphEdges, ServiceHealthyWaitsForTheHealthUnitOfEveryReplica) {
    UnitSet set = project_units(layered(), context());
    const std::string& api = file(set, "holos-shop-api@.service")->content;
    std::string health = "holos-shop-db_health@0.service holos-shop-db_health@1.service";
    EXPECT_TRUE(has_line(api, "Requires=" + health)) << api;
    EXPECT_TRUE(has_line(api, "After=" + health)) << api;
}

TEST(UnitGraphEdges, ServiceStartedWaitsForTheInstanceUnits) {
    Project project = layered();
    project.services[3].depends_on = {{"db", DependencyCondition::service_started}};
    UnitSet web_units = project_units(project, context());
    const std::string& web = file(web_units, "holos-shop-web@.service")->content;
    EXPECT_TRUE(has_line(web, "Requires=holos-shop-db@0.service holos-shop-db@1.service"));
    EXPECT_TRUE(has_line(web, "After=holos-shop-db@0.service holos-shop-db@1.service"));
}

TEST(UnitGraphEdges, CompletionMakesTheDependencyAOneshotThatRemainsActive) {
    UnitSet set = project_units(layered(), context());
    const std::string& migrate = file(set, "holos-shop-migrate@.service")->content;
    const std::string& api = file(set, "holos-shop-api@.service")->content;
    EXPECT_TRUE(has_line(migrate, "Type=oneshot"));
    EXPECT_TRUE(has_line(migrate, "RemainAfterExit=yes"));
    EXPECT_TRUE(has_line(migrate, "Restart=on-failure"));
    EXPECT_TRUE(has_line(api, "Type=exec"));
    EXPECT_TRUE(has_line(api, "Requires=holos-shop-migrate@0.service"));
    EXPECT_TRUE(has_line(api, "After=holos-shop-migrate@0.service"));
}

TEST(UnitGraphEdges, AOneshotInstanceIsNotRegisteredWithMachined) {
    UnitSet set = project_units(layered(), context());
    EXPECT_EQ(file(set, "holos-shop-migrate_machine@.service"), nullptr);
    EXPECT_EQ(file(set, "holos-shop-migrate@.service")->content.find("_machine@"),
              std::string::npos);
    EXPECT_NE(file(set, "holos-shop-api_machine@.service"), nullptr);
}

TEST(UnitGraphHealth, HealthUnitIsANotifyServiceRequiringItsInstance) {
    UnitSet set = project_units(layered(), context());
    const GeneratedFile* health = file(set, "holos-shop-db_health@.service");
    ASSERT_NE(health, nullptr);
    EXPECT_TRUE(has_line(health->content, "Type=notify"));
    EXPECT_TRUE(has_line(health->content, "Requires=holos-shop-db@%i.service"));
    EXPECT_TRUE(has_line(health->content, "After=holos-shop-db@%i.service"));
    EXPECT_EQ(health->content.find("BindsTo="), std::string::npos);
    // start period 60 s + (4 retries + 1) x max(interval 5 s, timeout 3 s) + 60 s margin
    EXPECT_TRUE(has_line(health->content, "TimeoutStartSec=145"));
    EXPECT_TRUE(has_line(health->content,
                         "ExecStart=/usr/libexec/holos/holos-instance health --interval-ms 5000 "
                         "--timeout-ms 3000 --retries 4 --start-period-ms 60000 --login root "
                         "shop db %i -- pg_isready"));
    EXPECT_TRUE(has_line(file(set, "holos-shop-db@.service")->content,
                         "Wants=holos-shop-db_health@%i.service"));
}

TEST(UnitGraphHealth, TheTargetWantsEveryHealthUnit) {
    UnitSet set = project_units(layered(), context());
    std::vector<std::string> wanted;
    for (const GeneratedLink& link : set.links) {
        if (link.path.find("_health@") != std::string::npos) {
            wanted.push_back(link.path + " -> " + link.target);
        }
    }
    EXPECT_EQ(wanted, (std::vector<std::string>{
                          "holos-shop.target.wants/holos-shop-db_health@0.service -> "
                          "../holos-shop-db_health@.service",
                          "holos-shop.target.wants/holos-shop-db_health@1.service -> "
                          "../holos-shop-db_health@.service"}));
}

TEST(UnitGraphHealth, ShellFormRunsThroughShAndTheBypassIsVisible) {
    Project project = layered();
    project.services[0].healthcheck->test = {{}, "pg_isready -q && echo 100%"};
    project.services[0].cloud_init.user = "ops";
    GraphContext bypassed = context();
    bypassed.health_bypass = true;
    UnitSet health_units = project_units(project, bypassed);
    const std::string& health = file(health_units, "holos-shop-db_health@.service")->content;
    EXPECT_NE(health.find("holos-instance health --bypass "), std::string::npos);
    EXPECT_NE(health.find("--login ops shop db %i -- /bin/sh -c \"pg_isready -q && echo "
                          "100%%\"\n"),
              std::string::npos)
        << health;
}

TEST(UnitGraphHealth, NoHealthUnitForADisabledHealthcheck) {
    Project project = layered();
    project.services[0].healthcheck->disabled = true;
    project.services[2].depends_on.erase(project.services[2].depends_on.begin());
    UnitSet set = project_units(project, context());
    EXPECT_EQ(file(set, "holos-shop-db_health@.service"), nullptr);
    EXPECT_EQ(file(set, "holos-shop-db@.service")->content.find("_health@"), std::string::npos);
}

Project with_storage() {
    Project project = two_services();
    project.volumes = {{"pgdata", 1ULL << 30}, {"unused", 1ULL << 30}};
    project.services[1].volumes = {{VolumeMount::Kind::named, "pgdata", "/var/lib/pg", false},
                                   {VolumeMount::Kind::bind, "/srv/my conf", "/etc/app", true}};
    return project;
}

TEST(UnitGraphStorage, OneOneshotPerMountedVolume) {
    UnitSet set = project_units(with_storage(), context());
    const GeneratedFile* volume = file(set, "holos-shop-volume-pgdata.service");
    ASSERT_NE(volume, nullptr);
    EXPECT_TRUE(has_line(volume->content, "Type=oneshot"));
    EXPECT_TRUE(has_line(volume->content, "ExecStart=/usr/libexec/holos/holos-instance volume "
                                          "--size 1073741824 shop pgdata"));
    EXPECT_EQ(file(set, "holos-shop-volume-unused.service"), nullptr);
}

TEST(UnitGraphStorage, InstanceNeedsItsVolumeAndItsVirtiofsSocket) {
    UnitSet db_units = project_units(with_storage(), context());
    const std::string& db = file(db_units, "holos-shop-db@.service")->content;
    std::string units = "holos-shop-volume-pgdata.service holos-shop-db_virtiofs0@%i.socket";
    EXPECT_TRUE(has_line(db, "Requires=" + units)) << db;
    EXPECT_TRUE(has_line(db, "After=" + units));
}

TEST(UnitGraphStorage, VirtiofsdIsSocketActivatedAndReadOnlyOnTheHost) {
    UnitSet set = project_units(with_storage(), context());
    const std::string& socket = file(set, "holos-shop-db_virtiofs0@.socket")->content;
    const std::string& daemon = file(set, "holos-shop-db_virtiofs0@.service")->content;
    EXPECT_TRUE(has_line(socket, "ListenStream=/run/holos/instances/shop/db-%i.virtiofs0.sock"));
    EXPECT_TRUE(has_line(socket, "PartOf=holos-shop-db@%i.service"));
    EXPECT_TRUE(has_line(daemon, "ExecStart=/usr/lib/qemu/virtiofsd --fd=3 -o "
                                 "\"source=/srv/my conf\""))
        << daemon;
    EXPECT_TRUE(has_line(daemon, "ReadOnlyPaths=\"/srv/my conf\""));
    EXPECT_TRUE(has_line(daemon, "Before=holos-shop-db@%i.service"));
}

TEST(UnitGraphStorage, DropInAttachesTheVolumeAndTheShare) {
    UnitSet dropin_units = project_units(with_storage(), context());
    const std::string& dropin = file(dropin_units, "holos-shop-db@0.service.d/50-qemu.conf")->content;
    EXPECT_NE(dropin.find("-drive file=/var/lib/holos/volumes/shop/pgdata.qcow2,if=none,"
                          "id=vol-pgdata,format=qcow2,discard=unmap \\"),
              std::string::npos)
        << dropin;
    EXPECT_NE(dropin.find("-device virtio-blk-pci,drive=vol-pgdata,serial=vol-pgdata"),
              std::string::npos);
    EXPECT_NE(dropin.find("-chardev socket,id=virtiofs0,path=/run/holos/instances/shop/"
                          "db-0.virtiofs0.sock"),
              std::string::npos);
    EXPECT_NE(dropin.find("-device vhost-user-fs-pci,chardev=virtiofs0,tag=share0"),
              std::string::npos);
}

TEST(UnitGraphNames, ListsTheNewTemplatesForClashDetection) {
    Project project = with_storage();
    project.services[0].healthcheck = Healthcheck{{{"true"}, ""}, 1000, 1000, 1, 0, false};
    std::vector<std::string> names = project_unit_names(project);
    for (const char* expected :
         {"holos-shop-volume-pgdata.service", "holos-shop-web_health@.service",
          "holos-shop-db_virtiofs0@.socket", "holos-shop-db_virtiofs0@.service"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
    }
}

TEST(UnitGraphNames, LoadedUnitsStartWithTheTargetAndNameEveryInstanceUnit) {
    Project project = with_storage();
    project.services[1].healthcheck = Healthcheck{{{"true"}, ""}, 1000, 1000, 1, 0, false};
    std::vector<std::string> names = loaded_unit_names(project);
    EXPECT_EQ(names.front(), "holos-shop.target");
    for (const char* expected :
         {"holos-shop-db_health@0.service", "holos-shop-db@0.service",
          "holos-shop-db_virtiofs0@0.service", "holos-shop-db_virtiofs0@0.socket",
          "holos-shop-web@1.service", "holos-shop-volume-pgdata.service"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
    }
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
