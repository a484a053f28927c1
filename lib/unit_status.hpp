// What holosctl ps needs to know about one service unit, and how each D-Bus property the
// manager reports maps onto it. Kept apart from the bus client so the mapping (types,
// "not available" sentinels) is testable without a service manager.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace holos {

struct UnitStatus {
    std::string name;
    std::string load_state;   // loaded, not-found, ...
    std::string active_state; // active, inactive, failed, activating, ...
    std::string sub_state;    // running, dead, exited, ...
    std::string result;       // success, exit-code, signal, ...
    std::string status_text;  // what the service last reported with sd_notify(STATUS=)
    std::uint32_t main_pid = 0;
    std::uint64_t active_enter_usec = 0;           // CLOCK_REALTIME; 0: never active
    std::uint64_t active_enter_monotonic_usec = 0; // CLOCK_MONOTONIC; 0: never active
    std::optional<std::uint64_t> memory_bytes;     // unset: no cgroup or no accounting
    std::optional<std::uint64_t> cpu_usage_ns;
};

// A property value as read from the bus: strings ('s') or unsigned integers ('t', 'u').
using PropertyValue = std::variant<std::string, std::uint64_t>;

// D-Bus interfaces whose properties fill a UnitStatus.
inline constexpr const char* kUnitInterface = "org.freedesktop.systemd1.Unit";
inline constexpr const char* kServiceInterface = "org.freedesktop.systemd1.Service";

struct StatusProperty {
    const char* interface;
    const char* name;
};

// Every property a UnitStatus is filled from, with the interface that carries it. Asking for
// these one by one is cheaper than GetAll, whose reply for a service holds some 300.
std::vector<StatusProperty> unit_status_properties();

// The D-Bus type signature of a property UnitStatus uses ("s", "t" or "u"), or nullptr for a
// property it ignores.
const char* unit_status_signature(std::string_view property);

// Stores one property in `status`; ignores properties it does not use and values of the
// wrong type.
void apply_unit_property(UnitStatus& status, std::string_view property,
                         const PropertyValue& value);

} // namespace holos
