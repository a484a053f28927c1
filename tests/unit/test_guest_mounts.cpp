#include "guest_mounts.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

Service with_mounts() {
    Service service;
    service.name = "db";
    service.volumes = {{VolumeMount::Kind::named, "pgdata", "/var/lib/postgresql", false},
                       {VolumeMount::Kind::named, "seed", "/srv/seed data", true},
                       {VolumeMount::Kind::bind, "/home/me/site", "/srv/www", true},
                       {VolumeMount::Kind::bind, "/home/me/src", "/src", false}};
    return service;
}

// The script's arguments after "sh -c SCRIPT holos-mount".
std::vector<std::string> arguments(const Command& command) {
    EXPECT_EQ(command.argv.at(0), "sh");
    EXPECT_EQ(command.argv.at(1), "-c");
    EXPECT_EQ(command.argv.at(3), "holos-mount");
    return {command.argv.begin() + 4, command.argv.end()};
}

TEST(GuestMounts, OneEntryPerMountInTheOrderOfTheList) {
    std::vector<Command> commands = mount_commands(with_mounts());
    ASSERT_EQ(commands.size(), 4u);
    EXPECT_EQ(arguments(commands[0]),
              (std::vector<std::string>{"volume", "/dev/disk/by-id/virtio-vol-pgdata",
                                        "/var/lib/postgresql", "/var/lib/postgresql", "ext4",
                                        "defaults,nofail", "format"}));
    EXPECT_EQ(arguments(commands[2]),
              (std::vector<std::string>{"share", "share0", "/srv/www", "/srv/www", "virtiofs",
                                        "ro,nofail", "keep"}));
    EXPECT_EQ(arguments(commands[3])[1], "share1");
}

TEST(GuestMounts, AReadOnlyVolumeIsNeverFormatted) {
    std::vector<std::string> args = arguments(mount_commands(with_mounts())[1]);
    EXPECT_EQ(args[2], "/srv/seed data");
    EXPECT_EQ(args[3], "/srv/seed\\040data");
    EXPECT_EQ(args[5], "ro,nofail");
    EXPECT_EQ(args[6], "keep");
}

TEST(GuestMounts, TheScriptTakesEveryValueAsAnArgument) {
    const std::string& script = mount_commands(with_mounts())[0].argv[2];
    EXPECT_EQ(script.find("/var/lib"), std::string::npos) << script;
    EXPECT_NE(script.find("blkid -p \"$src\""), std::string::npos);
    EXPECT_NE(script.find("grep -qxF \"$line\" /etc/fstab"), std::string::npos);
}

TEST(GuestMounts, FstabEscapesWhatWouldSplitAField) {
    EXPECT_EQ(fstab_escape("/a b\tc\\d\ne"), "/a\\040b\\011c\\134d\\012e");
    EXPECT_EQ(fstab_escape("/plain/path"), "/plain/path");
}

TEST(GuestMounts, NoMountsNoCommands) {
    EXPECT_TRUE(mount_commands(Service{}).empty());
}

} // namespace
} // namespace holos
