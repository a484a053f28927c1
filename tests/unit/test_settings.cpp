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
