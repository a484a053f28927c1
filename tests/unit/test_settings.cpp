#include "settings.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

TEST(Settings, DefaultAcceleratorIsKvm) {
    EXPECT_EQ(Settings{}.accel, "kvm");
}

TEST(Settings, ReadsKeyValueLinesWithCommentsAndSpaces) {
    SettingsResult result;
    apply_settings_text("# host settings\n\n  accel =  tcg   # no KVM here\n", "holos.conf",
                        result);
    EXPECT_TRUE(result.errors.empty());
    EXPECT_EQ(result.settings.accel, "tcg");
}

TEST(Settings, LaterFileOverridesEarlierOne) {
    SettingsResult result;
    apply_settings_text("accel = tcg\n", "/etc/holos/holos.conf", result);
    apply_settings_text("accel = kvm\n", "/run/holos/holos.conf", result);
    EXPECT_EQ(result.settings.accel, "kvm");
}

TEST(Settings, ReportsEveryBadLineWithItsNumber) {
    SettingsResult result;
    apply_settings_text("accel = xen\nspeed = 3\nnonsense\n", "holos.conf", result);
    ASSERT_EQ(result.errors.size(), 3u);
    EXPECT_EQ(result.errors[0], "holos.conf:1: accel must be \"kvm\" or \"tcg\", got \"xen\"");
    EXPECT_EQ(result.errors[1], "holos.conf:2: unknown key \"speed\"");
    EXPECT_EQ(result.errors[2], "holos.conf:3: expected \"key = value\"");
    EXPECT_EQ(result.settings.accel, "kvm");
}

TEST(Settings, ReadsTheImageMirrorAndTheStallTimeout) {
    SettingsResult result;
    apply_settings_text("image_mirror = http://127.0.0.1:8000/up\npull_stall_timeout = 5\n",
                        "holos.conf", result);
    EXPECT_TRUE(result.errors.empty());
    EXPECT_EQ(result.settings.image_mirror, "http://127.0.0.1:8000/up");
    EXPECT_EQ(result.settings.pull_stall_timeout_s, 5);
}

TEST(Settings, RejectsAMirrorThatIsNotHttpAndAStallTimeoutOutOfRange) {
    SettingsResult result;
    apply_settings_text("image_mirror = ftp://m/\npull_stall_timeout = 0\n"
                        "pull_stall_timeout = 5s\n",
                        "holos.conf", result);
    ASSERT_EQ(result.errors.size(), 3u);
    EXPECT_EQ(result.errors[0],
              "holos.conf:1: image_mirror must be an http:// or https:// URL, got \"ftp://m/\"");
    EXPECT_EQ(result.errors[1],
              "holos.conf:2: pull_stall_timeout must be whole seconds from 1 to 3600, got \"0\"");
    EXPECT_EQ(result.settings.pull_stall_timeout_s, 60);
}

TEST(Settings, HealthBypassIsOffUnlessSetToYes) {
    EXPECT_FALSE(Settings{}.health_bypass);
    SettingsResult result;
    apply_settings_text("health_bypass = yes\n", "holos.conf", result);
    EXPECT_TRUE(result.settings.health_bypass);
    apply_settings_text("health_bypass = on\n", "holos.conf", result);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0],
              "holos.conf:1: health_bypass must be \"yes\" or \"no\", got \"on\"");
}

} // namespace
} // namespace holos
