// The rules of a healthcheck, apart from probing: which probe results count, when the
// instance is ready, and when it is healthy or unhealthy. Time is given as the moment each
// probe began, counted from the start of the health unit, so the rules are testable without
// a clock.
//
// Like compose: failures in the start period do not count (but a pass ends the period);
// `retries` counted failures in a row make the instance unhealthy; a pass makes it healthy.
// Before the first pass an unhealthy instance has failed to start: the unit gives up, and its
// dependents are not started. After it, the unit goes on probing and reports the state.
#pragma once

#include "project.hpp"

#include <chrono>
#include <string>

namespace holos {

enum class HealthState { starting, healthy, unhealthy };

struct HealthChange {
    bool became_ready = false;  // the first pass: tell systemd the unit is ready
    bool state_changed = false; // the status text needs publishing
};

class HealthTracker {
public:
    explicit HealthTracker(const Healthcheck& check) : check_(check) {}

    // Records a probe that began `began` after the unit started; `detail` says why it
    // failed ("exit status 1: ..."), for the status text.
    HealthChange record(bool passed, std::chrono::milliseconds began, const std::string& detail);

    HealthState state() const { return state_; }
    bool ready() const { return ready_; }
    // Unhealthy without ever being ready: the start failed, the unit should end.
    bool gave_up() const { return !ready_ && state_ == HealthState::unhealthy; }
    int counted_failures() const { return counted_failures_; }

    // The unit's status text; its first word is the state ("starting", "healthy",
    // "unhealthy"), which holosctl ps shows.
    std::string status_text() const;

private:
    Healthcheck check_;
    HealthState state_ = HealthState::starting;
    bool ready_ = false;
    int counted_failures_ = 0;
    int probes_ = 0; // probes so far; none: nothing to report yet
    std::string last_failure_;
};

// "healthy", "unhealthy" or "starting".
const char* health_state_name(HealthState state);

} // namespace holos
