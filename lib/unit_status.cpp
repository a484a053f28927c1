#include "unit_status.hpp"

#include <limits>

namespace holos {
namespace {

// systemd reports a resource counter it cannot read (no cgroup yet, accounting off) as the
// largest uint64; ps shows those as unknown rather than as 16 EiB.
constexpr std::uint64_t kCounterUnavailable = std::numeric_limits<std::uint64_t>::max();

using StringField = std::string UnitStatus::*;

struct StringProperty {
    const char* name;
    StringField field;
};

constexpr StringProperty kStringProperties[] = {
    {"Id", &UnitStatus::name},
    {"LoadState", &UnitStatus::load_state},
    {"ActiveState", &UnitStatus::active_state},
    {"SubState", &UnitStatus::sub_state},
    {"Result", &UnitStatus::result},
    {"StatusText", &UnitStatus::status_text},
};

struct NumberProperty {
    const char* name;
    const char* signature;
    void (*store)(UnitStatus& status, std::uint64_t value);
};

std::optional<std::uint64_t> counter(std::uint64_t value) {
    return value == kCounterUnavailable ? std::nullopt : std::optional(value);
}

const NumberProperty kNumberProperties[] = {
    {"MainPID", "u",
     [](UnitStatus& s, std::uint64_t v) { s.main_pid = static_cast<std::uint32_t>(v); }},
    {"ActiveEnterTimestamp", "t",
     [](UnitStatus& s, std::uint64_t v) { s.active_enter_usec = v; }},
    {"ActiveEnterTimestampMonotonic", "t",
     [](UnitStatus& s, std::uint64_t v) { s.active_enter_monotonic_usec = v; }},
    {"MemoryCurrent", "t", [](UnitStatus& s, std::uint64_t v) { s.memory_bytes = counter(v); }},
    {"CPUUsageNSec", "t", [](UnitStatus& s, std::uint64_t v) { s.cpu_usage_ns = counter(v); }},
};

const StringProperty* find_string_property(std::string_view property) {
    for (const StringProperty& entry : kStringProperties) {
        if (property == entry.name) {
            return &entry;
        }
    }
    return nullptr;
}

const NumberProperty* find_number_property(std::string_view property) {
    for (const NumberProperty& entry : kNumberProperties) {
        if (property == entry.name) {
            return &entry;
        }
    }
    return nullptr;
}

} // namespace

std::vector<StatusProperty> unit_status_properties() {
    return {{kUnitInterface, "LoadState"},
            {kUnitInterface, "ActiveState"},
            {kUnitInterface, "SubState"},
            {kUnitInterface, "ActiveEnterTimestamp"},
            {kUnitInterface, "ActiveEnterTimestampMonotonic"},
            {kServiceInterface, "Result"},
            {kServiceInterface, "StatusText"},
            {kServiceInterface, "MainPID"},
            {kServiceInterface, "MemoryCurrent"},
            {kServiceInterface, "CPUUsageNSec"}};
}

const char* unit_status_signature(std::string_view property) {
    if (find_string_property(property)) {
        return "s";
    }
    const NumberProperty* number = find_number_property(property);
    return number ? number->signature : nullptr;
}

void apply_unit_property(UnitStatus& status, std::string_view property,
                         const PropertyValue& value) {
    if (const StringProperty* entry = find_string_property(property)) {
        if (const std::string* text = std::get_if<std::string>(&value)) {
            status.*(entry->field) = *text;
        }
        return;
    }
    if (const NumberProperty* entry = find_number_property(property)) {
        if (const std::uint64_t* number = std::get_if<std::uint64_t>(&value)) {
            entry->store(status, *number);
        }
    }
}

} // namespace holos
