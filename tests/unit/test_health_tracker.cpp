#include "health_tracker.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

using std::chrono::milliseconds;

Healthcheck check(int retries, std::int64_t start_period_ms) {
    Healthcheck c;
    c.retries = retries;
    c.start_period_ms = start_period_ms;
    return c;
}

TEST(HealthTracker, StartsWithNothingToReport) {
    HealthTracker tracker(check(3, 0));
    EXPECT_EQ(tracker.state(), HealthState::starting);
    EXPECT_EQ(tracker.status_text(), "starting");
    EXPECT_FALSE(tracker.ready());
}

TEST(HealthTracker, FailuresInTheStartPeriodDoNotCount) {
    HealthTracker tracker(check(2, 10'000));
    for (int i = 0; i < 5; ++i) {
        tracker.record(false, milliseconds(i * 2000), "refused");
    }
    EXPECT_EQ(tracker.counted_failures(), 0);
    EXPECT_EQ(tracker.state(), HealthState::starting);
    EXPECT_EQ(tracker.status_text(), "starting: last probe failed (in the start period): refused");
}

TEST(HealthTracker, RetriesCountedFailuresAfterTheStartPeriodGiveUp) {
    HealthTracker tracker(check(2, 10'000));
    tracker.record(false, milliseconds(9'999), "refused");
    tracker.record(false, milliseconds(10'000), "exit status 1");
    EXPECT_FALSE(tracker.gave_up());
    EXPECT_EQ(tracker.status_text(),
              "starting: last probe failed, 1 of 2 failures counted: exit status 1");
    HealthChange change = tracker.record(false, milliseconds(15'000), "exit status 1");
    EXPECT_TRUE(change.state_changed);
    EXPECT_TRUE(tracker.gave_up());
    EXPECT_EQ(tracker.status_text(), "unhealthy: 2 probes failed in a row: exit status 1");
}

TEST(HealthTracker, TheFirstPassMakesItReadyEvenInTheStartPeriod) {
    HealthTracker tracker(check(3, 60'000));
    tracker.record(false, milliseconds(0), "refused");
    HealthChange change = tracker.record(true, milliseconds(5'000), "");
    EXPECT_TRUE(change.became_ready);
    EXPECT_TRUE(tracker.ready());
    EXPECT_EQ(tracker.status_text(), "healthy");
    EXPECT_FALSE(tracker.record(true, milliseconds(10'000), "").became_ready);
}

TEST(HealthTracker, AfterReadinessFailuresCountAtOnceAndAPassHeals) {
    HealthTracker tracker(check(2, 60'000));
    tracker.record(true, milliseconds(1'000), "");
    EXPECT_FALSE(tracker.record(false, milliseconds(2'000), "timeout").state_changed);
    EXPECT_EQ(tracker.state(), HealthState::healthy);
    EXPECT_TRUE(tracker.record(false, milliseconds(3'000), "timeout").state_changed);
    EXPECT_EQ(tracker.state(), HealthState::unhealthy);
    EXPECT_FALSE(tracker.gave_up()); // it was ready once: the unit goes on probing
    HealthChange healed = tracker.record(true, milliseconds(4'000), "");
    EXPECT_TRUE(healed.state_changed);
    EXPECT_FALSE(healed.became_ready);
    EXPECT_EQ(tracker.state(), HealthState::healthy);
}

TEST(HealthTracker, APassResetsTheCount) {
    HealthTracker tracker(check(2, 0));
    tracker.record(false, milliseconds(0), "x");
    tracker.record(true, milliseconds(1'000), "");
    tracker.record(false, milliseconds(2'000), "x");
    EXPECT_EQ(tracker.counted_failures(), 1);
    EXPECT_EQ(tracker.state(), HealthState::healthy);
}

} // namespace
} // namespace holos
