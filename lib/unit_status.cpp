#include "unit_status.hpp"

namespace holos {
namespace {

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

const StringProperty* find_string_property(std::string_view property) {
    for (const StringProperty& entry : kStringProperties) {
        if (property == entry.name) {
            return &entry;
        }
    }
    return nullptr;
}

// Starting, running, reloading and stopping units may have a main process; a stopped or
// failed one has none.
bool may_run_a_process(std::string_view active_state) {
    return active_state == "active" || active_state == "activating" ||
           active_state == "deactivating" || active_state == "reloading";
}

} // namespace

std::vector<StatusProperty> status_properties(std::string_view active_state, bool status_text) {
    if (active_state == "failed") {
        return {{kServiceInterface, "Result"}};
    }
    if (!may_run_a_process(active_state)) {
        return {};
    }
    std::vector<StatusProperty> properties = {{kServiceInterface, "MainPID"}};
    if (status_text) {
        properties.push_back({kServiceInterface, "StatusText"});
    }
    return properties;
}

const char* unit_status_signature(std::string_view property) {
    if (find_string_property(property)) {
        return "s";
    }
    return property == "MainPID" ? "u" : nullptr;
}

void apply_unit_property(UnitStatus& status, std::string_view property,
                         const PropertyValue& value) {
    if (const StringProperty* entry = find_string_property(property)) {
        if (const std::string* text = std::get_if<std::string>(&value)) {
            status.*(entry->field) = *text;
        }
        return;
    }
    const std::uint64_t* number = std::get_if<std::uint64_t>(&value);
    if (property == "MainPID" && number != nullptr) {
        status.main_pid = static_cast<std::uint32_t>(*number);
    }
}

} // namespace holos
