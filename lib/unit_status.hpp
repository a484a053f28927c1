// What holosctl ps needs to know about one service unit from the manager, which properties it
// reads in which state, and how each D-Bus value maps onto it. Kept apart from the bus client so
// the choice and the mapping are testable without a service manager.
//
// The states of all units come from one ListUnitsByNames call; the few properties that call
// does not carry are read only where they mean something (a main PID only while the unit may
// run one), since each is a round trip through the manager.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace holos {

struct UnitStatus {
    std::string name;
    std::string load_state;     // loaded, not-found, ...
    std::string active_state;   // active, inactive, failed, activating, ...
    std::string sub_state;      // running, dead, exited, ...
    std::string result;         // success, exit-code, signal, ...; read once the unit failed
    std::string status_text;    // sd_notify(STATUS=); read where asked for, while it runs
    std::uint32_t main_pid = 0; // read while the unit may have a main process; 0: none
};

// A unit whose status is wanted, and whether its status text is too (a health unit's).
struct StatusQuery {
    std::string unit;
    bool status_text = false;
};

// A property value as read from the bus: strings ('s') or unsigned integers ('u').
using PropertyValue = std::variant<std::string, std::uint64_t>;

// D-Bus interfaces whose properties fill a UnitStatus.
inline constexpr const char* kUnitInterface = "org.freedesktop.systemd1.Unit";
inline constexpr const char* kServiceInterface = "org.freedesktop.systemd1.Service";

struct StatusProperty {
    const char* interface;
    const char* name;
};

// The properties to read for a unit in `active_state`, beyond the states themselves: MainPID
// (and StatusText, if `status_text`) while it may run a process, Result once it has failed,
// nothing while it is stopped.
std::vector<StatusProperty> status_properties(std::string_view active_state, bool status_text);

// The D-Bus type signature of a property UnitStatus uses ("s" or "u"), or nullptr for a
// property it ignores.
const char* unit_status_signature(std::string_view property);

// Stores one property in `status`; ignores properties it does not use and values of the
// wrong type.
void apply_unit_property(UnitStatus& status, std::string_view property,
                         const PropertyValue& value);

} // namespace holos
