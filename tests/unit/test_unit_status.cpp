#include "unit_status.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace holos {
namespace {

constexpr std::uint64_t kUnavailable = std::numeric_limits<std::uint64_t>::max();

TEST(UnitStatus, StoresStatesAndStatusText) {
    UnitStatus status;
    apply_unit_property(status, "ActiveState", std::string("active"));
    apply_unit_property(status, "SubState", std::string("running"));
    apply_unit_property(status, "StatusText", std::string("healthy"));
    EXPECT_EQ(status.active_state, "active");
    EXPECT_EQ(status.sub_state, "running");
    EXPECT_EQ(status.status_text, "healthy");
}

TEST(UnitStatus, StoresCountersAndTimestamps) {
    UnitStatus status;
    apply_unit_property(status, "MainPID", std::uint64_t{4242});
    apply_unit_property(status, "MemoryCurrent", std::uint64_t{512} << 20);
    apply_unit_property(status, "CPUUsageNSec", std::uint64_t{1500000000});
    apply_unit_property(status, "ActiveEnterTimestampMonotonic", std::uint64_t{77});
    EXPECT_EQ(status.main_pid, 4242u);
    EXPECT_EQ(status.memory_bytes, std::uint64_t{512} << 20);
    EXPECT_EQ(status.cpu_usage_ns, 1500000000u);
    EXPECT_EQ(status.active_enter_monotonic_usec, 77u);
}

TEST(UnitStatus, TreatsTheLargestCounterAsUnavailable) {
    UnitStatus status;
    status.memory_bytes = 1;
    apply_unit_property(status, "MemoryCurrent", kUnavailable);
    apply_unit_property(status, "CPUUsageNSec", kUnavailable);
    EXPECT_FALSE(status.memory_bytes);
    EXPECT_FALSE(status.cpu_usage_ns);
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
    EXPECT_STREQ(unit_status_signature("MainPID"), "u");
    EXPECT_STREQ(unit_status_signature("MemoryCurrent"), "t");
    EXPECT_EQ(unit_status_signature("ExecStart"), nullptr);
}

} // namespace
} // namespace holos
