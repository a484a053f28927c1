#include "health_tracker.hpp"

namespace holos {

HealthChange HealthTracker::record(bool passed, std::chrono::milliseconds began,
                                   const std::string& detail) {
    HealthChange change;
    HealthState before = state_;
    ++probes_;
    if (passed) {
        change.became_ready = !ready_;
        ready_ = true;
        counted_failures_ = 0;
        last_failure_.clear();
        state_ = HealthState::healthy;
    } else {
        last_failure_ = detail;
        bool in_start_period = !ready_ && began.count() < check_.start_period_ms;
        if (!in_start_period) {
            ++counted_failures_;
        }
        if (counted_failures_ >= check_.retries) {
            state_ = HealthState::unhealthy;
        }
    }
    // While starting, every probe changes what the text says (how many failures count).
    change.state_changed = state_ != before || state_ == HealthState::starting;
    return change;
}

std::string HealthTracker::status_text() const {
    std::string state = health_state_name(state_);
    switch (state_) {
    case HealthState::healthy:
        return state;
    case HealthState::unhealthy:
        return state + ": " + std::to_string(counted_failures_) +
               " probes failed in a row: " + last_failure_;
    case HealthState::starting:
        break;
    }
    if (probes_ == 0) {
        return state;
    }
    if (counted_failures_ == 0) {
        return state + ": last probe failed (in the start period): " + last_failure_;
    }
    return state + ": last probe failed, " + std::to_string(counted_failures_) + " of " +
           std::to_string(check_.retries) + " failures counted: " + last_failure_;
}

const char* health_state_name(HealthState state) {
    switch (state) {
    case HealthState::healthy:
        return "healthy";
    case HealthState::unhealthy:
        return "unhealthy";
    case HealthState::starting:
        break;
    }
    return "starting";
}

} // namespace holos
