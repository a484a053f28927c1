#include "unit_status.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

std::vector<std::string> names(const std::vector<StatusProperty>& properties) {
    std::vector<std::string> out;
    for (const StatusProperty& property : properties) {
        out.push_back(property.name);
    }
    return out;
}

TEST(UnitStatus, StoresStatesAndStatusText) {
    UnitStatus status;
    apply_unit_property(status, "ActiveState", std::string("active"));
    apply_unit_property(status, "SubState", std::string("running"));
    apply_unit_property(status, "StatusText", std::string("healthy"));
    EXPECT_EQ(status.active_state, "active");
    EXPECT_EQ(status.sub_state, "running");
    EXPECT_EQ(status.status_text, "healthy");
}

TEST(UnitStatus, StoresTheMainPid) {
    UnitStatus status;
    apply_unit_property(status, "MainPID", std::uint64_t{4242});
    EXPECT_EQ(status.main_pid, 4242u);
}

TEST(UnitStatus, IgnoresUnknownPropertiesAndWrongTypes) {
    UnitStatus status;
    apply_unit_property(status, "Description", std::string("x"));
    apply_unit_property(status, "ActiveState", std::uint64_t{1});
    apply_unit_property(status, "MainPID", std::string("12"));
    EXPECT_EQ(status.active_state, "");
    EXPECT_EQ(status.main_pid, 0u);
}

TEST(UnitStatus, KnowsTheBusTypeOfEachPropertyItUses) {
    EXPECT_STREQ(unit_status_signature("ActiveState"), "s");
    EXPECT_STREQ(unit_status_signature("StatusText"), "s");
    EXPECT_STREQ(unit_status_signature("MainPID"), "u");
    EXPECT_EQ(unit_status_signature("ExecStart"), nullptr);
}

TEST(UnitStatus, ReadsTheMainPidOnlyWhileTheUnitMayRunAProcess) {
    using Names = std::vector<std::string>;
    for (const char* state : {"active", "activating", "deactivating", "reloading"}) {
        EXPECT_EQ(names(status_properties(state, false)), Names{"MainPID"}) << state;
    }
    EXPECT_EQ(names(status_properties("inactive", false)), Names{});
    EXPECT_EQ(names(status_properties("", false)), Names{});
}

TEST(UnitStatus, ReadsTheStatusTextOnlyWhereAskedAndWhileRunning) {
    using Names = std::vector<std::string>;
    EXPECT_EQ(names(status_properties("active", true)), (Names{"MainPID", "StatusText"}));
    EXPECT_EQ(names(status_properties("inactive", true)), Names{});
}

TEST(UnitStatus, ReadsTheResultOfAFailedUnitOnly) {
    using Names = std::vector<std::string>;
    EXPECT_EQ(names(status_properties("failed", true)), Names{"Result"});
    for (const StatusProperty& property : status_properties("active", true)) {
        EXPECT_STRNE(property.name, "Result");
    }
}

} // namespace
} // namespace holos
