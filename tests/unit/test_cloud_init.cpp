#include "cloud_init.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace holos {
namespace {

Project sample_project() {
    Project project;
    project.name = "demo";
    Service web;
    web.name = "web";
    web.image = "debian:12";
    web.cloud_init.packages = {"nginx"};
    web.cloud_init.write_files = {{"/srv/index.html", "hello\n", "", "0640", "", false}};
    web.cloud_init.runcmd = {{{}, "systemctl restart nginx"}};
    project.services.push_back(web);
    return project;
}

TEST(UserData, StartsWithTheCloudConfigMarkerAndCarriesEveryField) {
    Project project = sample_project();
    std::string text = user_data({project, project.services[0], 1, "ssh-ed25519 AAAA k"});
    ASSERT_EQ(text.rfind("#cloud-config\n", 0), 0u);
    YAML::Node doc = YAML::Load(text);
    EXPECT_EQ(doc["hostname"].as<std::string>(), "web-1");
    EXPECT_EQ(doc["ssh_authorized_keys"][0].as<std::string>(), "ssh-ed25519 AAAA k");
    EXPECT_EQ(doc["packages"][0].as<std::string>(), "nginx");
    EXPECT_TRUE(doc["package_update"].as<bool>());
    EXPECT_EQ(doc["write_files"][0]["path"].as<std::string>(), "/srv/index.html");
    EXPECT_EQ(doc["write_files"][0]["content"].as<std::string>(), "hello\n");
    EXPECT_EQ(doc["write_files"][0]["permissions"].as<std::string>(), "0640");
    EXPECT_EQ(doc["runcmd"][0].as<std::string>(), "systemctl restart nginx");
}

TEST(UserData, NamedUserGetsSudoAndTheKeyBesideTheDefaultUser) {
    Project project = sample_project();
    project.services[0].cloud_init.user = "ops";
    YAML::Node doc = YAML::Load(user_data({project, project.services[0], 0, "ssh-ed25519 K"}));
    EXPECT_EQ(doc["users"][0].as<std::string>(), "default");
    EXPECT_EQ(doc["users"][1]["name"].as<std::string>(), "ops");
    EXPECT_EQ(doc["users"][1]["ssh_authorized_keys"][0].as<std::string>(), "ssh-ed25519 K");
}

TEST(UserData, ValuesThatLookLikeYamlStayStrings) {
    Project project = sample_project();
    project.services[0].cloud_init.runcmd = {
        {{}, "key: value"}, {{}, "- item"}, {{}, "#comment"}, {{}, "yes"}};
    YAML::Node doc = YAML::Load(user_data({project, project.services[0], 0, "k"}));
    ASSERT_TRUE(doc["runcmd"].IsSequence());
    EXPECT_EQ(doc["runcmd"].size(), 4u);
    EXPECT_EQ(doc["runcmd"][0].as<std::string>(), "key: value");
    EXPECT_EQ(doc["runcmd"][3].as<std::string>(), "yes");
}

TEST(UserData, ExecFormCommandsStayLists) {
    Project project = sample_project();
    project.services[0].cloud_init.runcmd = {{{"touch", "/a b"}, ""}};
    project.services[0].cloud_init.bootcmd = {{{}, "echo early"}};
    YAML::Node doc = YAML::Load(user_data({project, project.services[0], 0, "k"}));
    ASSERT_TRUE(doc["runcmd"][0].IsSequence());
    EXPECT_EQ(doc["runcmd"][0][1].as<std::string>(), "/a b");
    EXPECT_EQ(doc["bootcmd"][0].as<std::string>(), "echo early");
}

TEST(UserData, WriteFileOptionsPassThrough) {
    Project project = sample_project();
    project.services[0].cloud_init.write_files = {
        {"/etc/motd", "aGk=", "b64", "0600", "www-data:www-data", true}};
    YAML::Node doc = YAML::Load(user_data({project, project.services[0], 0, "k"}));
    YAML::Node file = doc["write_files"][0];
    EXPECT_EQ(file["encoding"].as<std::string>(), "b64");
    EXPECT_EQ(file["owner"].as<std::string>(), "www-data:www-data");
    EXPECT_TRUE(file["append"].as<bool>());
}

TEST(UserData, EnvironmentIsExportedWithShellQuoting) {
    Project project = sample_project();
    project.services[0].environment = {{"GREETING", "it's $HOME"}, {"MODE", "prod"}};
    YAML::Node doc = YAML::Load(user_data({project, project.services[0], 0, "k"}));
    EXPECT_EQ(doc["write_files"][0]["path"].as<std::string>(),
              "/etc/profile.d/holos-environment.sh");
    EXPECT_NE(doc["write_files"][0]["content"].as<std::string>().find(
                  "export GREETING='it'\\''s $HOME'\n"),
              std::string::npos);
    EXPECT_EQ(doc["write_files"][1]["content"].as<std::string>(),
              "GREETING=it's $HOME\nMODE=prod\n");
    EXPECT_TRUE(doc["write_files"][1]["append"].as<bool>());
}

TEST(NetworkConfig, MatchesTheInstanceMacWithDhcp) {
    Project project = sample_project();
    YAML::Node doc = YAML::Load(network_config({project, project.services[0], 0, "k"}));
    EXPECT_EQ(doc["version"].as<int>(), 2);
    EXPECT_EQ(doc["ethernets"]["uplink"]["match"]["macaddress"].as<std::string>().size(), 17u);
    EXPECT_TRUE(doc["ethernets"]["uplink"]["dhcp4"].as<bool>());
}

// web-0 and web-1 on 10.10.0.0/24, as allocate_network would give them.
ProjectNetwork sample_network() {
    return {
        {0x0a0a0000, 24}, {"239.192.3.4", 21000}, {{"web-0", 0x0a0a0002}, {"web-1", 0x0a0a0003}}};
}

TEST(NetworkConfig, GivesTheProjectNicItsStaticAddressByMac) {
    Project project = sample_project();
    ProjectNetwork network = sample_network();
    YAML::Node doc = YAML::Load(network_config({project, project.services[0], 1, "k", &network}));
    YAML::Node nic = doc["ethernets"]["project"];
    EXPECT_EQ(nic["match"]["macaddress"].as<std::string>(), segment_mac("demo", 0x0a0a0003));
    ASSERT_EQ(nic["addresses"].size(), 1u);
    EXPECT_EQ(nic["addresses"][0].as<std::string>(), "10.10.0.3/24");
    EXPECT_FALSE(nic["gateway4"]) << "outbound traffic stays on the uplink";
    EXPECT_FALSE(nic["dhcp4"]);
    EXPECT_TRUE(doc["ethernets"]["uplink"]["dhcp4"].as<bool>());
}

TEST(NetworkConfig, HasOnlyTheUplinkWithoutANetwork) {
    Project project = sample_project();
    YAML::Node doc = YAML::Load(network_config({project, project.services[0], 0, "k"}));
    EXPECT_EQ(doc["ethernets"].size(), 1u);
}

TEST(UserData, RewritesEtcHostsAtEveryBootBeforeTheServicesBootCommands) {
    Project project = sample_project();
    project.services[0].cloud_init.bootcmd = {{{}, "echo early"}};
    ProjectNetwork network = sample_network();
    YAML::Node doc = YAML::Load(user_data({project, project.services[0], 0, "k", &network}));
    EXPECT_FALSE(doc["manage_etc_hosts"].as<bool>()) << "cloud-init would overwrite it";
    ASSERT_EQ(doc["bootcmd"].size(), 2u);
    YAML::Node hosts = doc["bootcmd"][0];
    ASSERT_TRUE(hosts.IsSequence());
    EXPECT_EQ(hosts[0].as<std::string>(), "sh");
    EXPECT_EQ(hosts[2].as<std::string>(),
              "printf '%s\\n' \"$@\" >/etc/hosts.holos && mv -f /etc/hosts.holos /etc/hosts");
    std::vector<std::string> lines;
    for (std::size_t i = 4; i < hosts.size(); ++i) {
        lines.push_back(hosts[i].as<std::string>());
    }
    EXPECT_EQ(lines, hosts_lines(project, network));
    EXPECT_EQ(doc["bootcmd"][1].as<std::string>(), "echo early");
}

TEST(UserData, LetsCloudInitWriteEtcHostsWithoutANetwork) {
    Project project = sample_project();
    YAML::Node doc = YAML::Load(user_data({project, project.services[0], 0, "k"}));
    EXPECT_TRUE(doc["manage_etc_hosts"].as<bool>());
    EXPECT_FALSE(doc["bootcmd"]);
}

TEST(InstanceId, StaysWhenPeersComeAndGoButNotWhenTheOwnAddressChanges) {
    Project project = sample_project();
    project.services[0].replicas = 2;
    ProjectNetwork network = sample_network();
    SeedInput input{project, project.services[0], 0, "k", &network};
    std::string before = instance_id(input);
    project.services[0].replicas = 3;
    network.addresses["web-2"] = 0x0a0a0004;
    EXPECT_EQ(instance_id(input), before);
    EXPECT_NE(user_data(input).find("10.10.0.4 web-2 web"), std::string::npos);
    network.addresses["web-0"] = 0x0a0a0009;
    EXPECT_NE(instance_id(input), before);
}

// The id is stored by cloud-init in every guest: a new holos that derived another id from the
// same inputs would provision every existing guest again at its next boot.
TEST(InstanceId, IsTheSameAcrossVersionsOfHolos) {
    Project project = sample_project();
    ProjectNetwork network = sample_network();
    EXPECT_EQ(instance_id({project, project.services[0], 0, "k"}), "holos-85fca6a1aa5406ee");
    EXPECT_EQ(instance_id({project, project.services[0], 1, "k", &network}),
              "holos-29687f12f20e8694");
}

TEST(InstanceId, ChangesWithProvisioningAndNothingElse) {
    Project project = sample_project();
    SeedInput input{project, project.services[0], 0, "k"};
    std::string before = instance_id(input);
    EXPECT_EQ(instance_id(input), before);
    project.services[0].vm.memory_mib = 4096;
    EXPECT_EQ(instance_id(input), before);
    project.services[0].cloud_init.runcmd.push_back({{}, "true"});
    EXPECT_NE(instance_id(input), before);
}

TEST(MetaData, NamesTheInstance) {
    Project project = sample_project();
    SeedInput input{project, project.services[0], 0, "k"};
    YAML::Node doc = YAML::Load(meta_data(input));
    EXPECT_EQ(doc["instance-id"].as<std::string>(), instance_id(input));
    EXPECT_EQ(doc["local-hostname"].as<std::string>(), "web-0");
}

TEST(SeedContent, IsTheThreeNoCloudFilesAsRenderedOneByOne) {
    Project project = sample_project();
    SeedInput input{project, project.services[0], 0, "k"};
    SeedContent content = seed_content(input);
    ASSERT_EQ(content.files.size(), 3u);
    EXPECT_EQ(content.files[0].name, "user-data");
    EXPECT_EQ(content.files[0].content, user_data(input));
    EXPECT_EQ(content.files[1].name, "meta-data");
    EXPECT_EQ(content.files[1].content, meta_data(input));
    EXPECT_EQ(content.files[2].name, "network-config");
    EXPECT_EQ(content.files[2].content, network_config(input));
    EXPECT_EQ(content.instance_id, instance_id(input));
}

TEST(UserData, VolumeMountsComeFirstInBootcmdBeforeTheServicesOwn) {
    Project project = sample_project();
    Service& web = project.services[0];
    web.cloud_init.bootcmd = {{{}, "echo mine"}};
    web.volumes = {{VolumeMount::Kind::bind, "/srv/site", "/srv/www", true},
                   {VolumeMount::Kind::named, "data", "/var/lib/my data", false}};
    YAML::Node bootcmd = YAML::Load(user_data({project, web, 0, "k"}))["bootcmd"];
    ASSERT_EQ(bootcmd.size(), 3u);
    EXPECT_EQ(bootcmd[0][4].as<std::string>(), "share");
    EXPECT_EQ(bootcmd[0][5].as<std::string>(), "share0");
    EXPECT_EQ(bootcmd[1][4].as<std::string>(), "volume");
    EXPECT_EQ(bootcmd[1][5].as<std::string>(), "/dev/disk/by-id/virtio-vol-data");
    EXPECT_EQ(bootcmd[2].as<std::string>(), "echo mine");
}

} // namespace
} // namespace holos
