#include "systemd_manager.hpp"

#include "error.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <systemd/sd-bus.h>
#include <unistd.h>

namespace holos {
namespace {

constexpr const char* kService = "org.freedesktop.systemd1";
constexpr const char* kManagerPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";
constexpr std::uint64_t kReloadTimeoutUsec = 120ULL * 1000 * 1000;

struct BusError {
    sd_bus_error error = SD_BUS_ERROR_NULL;
    ~BusError() { sd_bus_error_free(&error); }
    std::string text(int rc) const {
        return error.message ? error.message : std::string(strerror(-rc));
    }
};

struct MessageRef {
    sd_bus_message* message = nullptr;
    ~MessageRef() { sd_bus_message_unref(message); }
};

void check(int rc, const std::string& context) {
    if (rc < 0) {
        throw system_error(context, -rc);
    }
}

// The manager's private socket needs no broker; only its owner (root, or the user for a
// user manager) may connect, which is exactly who may manage units.
std::string private_socket(Scope scope) {
    if (scope == Scope::system) {
        return "/run/systemd/private";
    }
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    return runtime ? std::string(runtime) + "/systemd/private" : std::string();
}

sd_bus* connect_private(Scope scope) {
    std::string socket = private_socket(scope);
    if (socket.empty() || ::access(socket.c_str(), F_OK) != 0) {
        return nullptr;
    }
    sd_bus* bus = nullptr;
    if (sd_bus_new(&bus) < 0) {
        return nullptr;
    }
    std::string address = "unix:path=" + socket;
    if (sd_bus_set_address(bus, address.c_str()) < 0 || sd_bus_start(bus) < 0) {
        sd_bus_unref(bus);
        return nullptr;
    }
    return bus;
}

sd_bus* connect(Scope scope) {
    if (sd_bus* bus = connect_private(scope)) {
        return bus;
    }
    sd_bus* bus = nullptr;
    int rc = scope == Scope::system ? sd_bus_open_system(&bus) : sd_bus_open_user(&bus);
    check(rc, scope == Scope::system ? "connecting to the system manager"
                                     : "connecting to the user manager");
    return bus;
}

std::string unit_path(const std::string& unit) {
    char* path = nullptr;
    check(sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit.c_str(), &path),
          "encoding the object path of " + unit);
    std::string result(path);
    std::free(path);
    return result;
}

std::string string_property(sd_bus* bus, const std::string& path, const char* interface,
                            const char* name) {
    BusError error;
    char* value = nullptr;
    int rc = sd_bus_get_property_string(bus, kService, path.c_str(), interface, name,
                                        &error.error, &value);
    if (rc < 0) {
        return {};
    }
    std::string result(value);
    std::free(value);
    return result;
}

std::uint32_t main_pid(sd_bus* bus, const std::string& path) {
    BusError error;
    std::uint32_t pid = 0;
    sd_bus_get_property_trivial(bus, kService, path.c_str(), "org.freedesktop.systemd1.Service",
                                "MainPID", &error.error, 'u', &pid);
    return pid;
}

struct JobWait {
    std::string job_path;
    std::map<std::string, std::string> finished; // job path -> result
    const JobWatcher* watcher = nullptr;
};

// Waits between looks at the bus: a watcher is ticked this often.
constexpr std::uint64_t kTickUsec = 1'000'000;

int on_job_removed(sd_bus_message* message, void* userdata, sd_bus_error*) {
    auto* wait = static_cast<JobWait*>(userdata);
    std::uint32_t id = 0;
    const char *path = nullptr, *unit = nullptr, *result = nullptr;
    if (sd_bus_message_read(message, "uoss", &id, &path, &unit, &result) >= 0) {
        wait->finished[path] = result;
        if (wait->watcher && wait->watcher->job_removed) {
            wait->watcher->job_removed(unit, result);
        }
    }
    return 0;
}

// A property Get sent and not yet answered: which property, and where it goes.
struct PendingProperty {
    UnitStatus* status;
    const char* name;
    size_t* outstanding;
};

// Reads the "v" of a Get reply; a property of an unexpected type (a newer manager) is left
// unset, so listing still works.
int read_property(sd_bus_message* reply, const char* name, UnitStatus& status) {
    const char* signature = unit_status_signature(name);
    const char* contents = nullptr;
    int rc = sd_bus_message_peek_type(reply, nullptr, &contents);
    if (rc < 0 || !signature || !contents || std::strcmp(signature, contents) != 0) {
        return rc;
    }
    PropertyValue value;
    if (*signature == 's') {
        const char* text = nullptr;
        rc = sd_bus_message_read(reply, "v", "s", &text);
        value = std::string(text ? text : "");
    } else {
        std::uint32_t number = 0;
        rc = sd_bus_message_read(reply, "v", "u", &number);
        value = std::uint64_t{number};
    }
    if (rc >= 0) {
        apply_unit_property(status, name, value);
    }
    return rc;
}

// An error reply (an unknown unit, a timeout) leaves the field as it is.
int on_property(sd_bus_message* reply, void* userdata, sd_bus_error*) {
    auto* pending = static_cast<PendingProperty*>(userdata);
    --*pending->outstanding;
    if (!sd_bus_message_is_method_error(reply, nullptr)) {
        read_property(reply, pending->name, *pending->status);
    }
    return 0;
}

// Sends a Get of `property` of the unit at `path`, answered to on_property.
sd_bus_slot* ask_property(sd_bus* bus, const std::string& path, const StatusProperty& property,
                          PendingProperty& pending) {
    sd_bus_slot* slot = nullptr;
    check(sd_bus_call_method_async(bus, &slot, kService, path.c_str(),
                                   "org.freedesktop.DBus.Properties", "Get", on_property,
                                   &pending, "ss", property.interface, property.name),
          "asking for " + std::string(property.name) + " of " + path);
    return slot;
}

// Slots of calls in flight; dropping them cancels the callbacks, which point into the
// caller's frame, if the wait ends early by an exception.
struct Slots {
    std::vector<sd_bus_slot*> slots;
    ~Slots() {
        for (sd_bus_slot* slot : slots) {
            sd_bus_slot_unref(slot);
        }
    }
};

} // namespace

SystemdManager::SystemdManager(Scope scope) : bus_(connect(scope)) {
}

// Only a caller that waits for jobs subscribes: a subscribed client is sent every unit and
// job change of the manager, which a reader such as ps would only have to skip.
void SystemdManager::subscribe() {
    if (subscribed_) {
        return;
    }
    BusError error;
    int rc = sd_bus_call_method(bus_, kService, kManagerPath, kManager, "Subscribe",
                                &error.error, nullptr, "");
    if (rc < 0) {
        throw Error("subscribing to the service manager: " + error.text(rc));
    }
    subscribed_ = true;
}

SystemdManager::~SystemdManager() {
    sd_bus_flush_close_unref(bus_);
}

void SystemdManager::reload() {
    BusError error;
    MessageRef call, reply;
    check(sd_bus_message_new_method_call(bus_, &call.message, kService, kManagerPath, kManager,
                                         "Reload"),
          "reloading the service manager");
    int rc = sd_bus_call(bus_, call.message, kReloadTimeoutUsec, &error.error, &reply.message);
    if (rc < 0) {
        throw Error("reloading the service manager: " + error.text(rc));
    }
}

std::string SystemdManager::run_job(const char* method, const char* verb,
                                    const std::string& unit, const JobWatcher* watcher) {
    // Subscribe to JobRemoved before queueing the job, or a fast job could finish unseen.
    subscribe();
    JobWait wait;
    wait.watcher = watcher;
    sd_bus_slot* slot = nullptr;
    check(sd_bus_match_signal(bus_, &slot, kService, kManagerPath, kManager, "JobRemoved",
                              on_job_removed, &wait),
          "watching jobs of " + unit);
    BusError error;
    MessageRef reply;
    int rc = sd_bus_call_method(bus_, kService, kManagerPath, kManager, method, &error.error,
                                &reply.message, "ss", unit.c_str(), "replace");
    if (rc < 0) {
        sd_bus_slot_unref(slot);
        throw Error(std::string(verb) + " " + unit + ": " + error.text(rc));
    }
    const char* job = nullptr;
    check(sd_bus_message_read(reply.message, "o", &job), "reading the job of " + unit);
    wait.job_path = job;
    while (!wait.finished.contains(wait.job_path)) {
        rc = sd_bus_process(bus_, nullptr);
        if (rc < 0) {
            sd_bus_slot_unref(slot);
            throw system_error("waiting for the job of " + unit, -rc);
        }
        if (rc == 0) {
            sd_bus_wait(bus_, watcher ? kTickUsec : UINT64_MAX);
            if (watcher && watcher->tick) {
                watcher->tick();
            }
        }
    }
    sd_bus_slot_unref(slot);
    return wait.finished[wait.job_path];
}

namespace {

// A StopUnit call in flight: its reply names the job, or says why there is none.
struct PendingStop {
    std::string* job_path;
    std::string* refusal;
    size_t* outstanding;
};

int on_stop_queued(sd_bus_message* reply, void* userdata, sd_bus_error*) {
    auto* pending = static_cast<PendingStop*>(userdata);
    --*pending->outstanding;
    const sd_bus_error* error = sd_bus_message_get_error(reply);
    const char* job = nullptr;
    if (error) {
        *pending->refusal = error->message ? error->message : error->name;
    } else if (sd_bus_message_read(reply, "o", &job) >= 0) {
        *pending->job_path = job;
    } else {
        *pending->refusal = "unreadable reply";
    }
    return 0;
}

} // namespace

std::vector<std::string> SystemdManager::stop_units(const std::vector<std::string>& units) {
    subscribe();
    JobWait wait;
    sd_bus_slot* match = nullptr;
    check(sd_bus_match_signal(bus_, &match, kService, kManagerPath, kManager, "JobRemoved",
                              on_job_removed, &wait),
          "watching stop jobs");
    Slots slots;
    slots.slots.push_back(match);
    std::vector<std::string> jobs(units.size()), results(units.size());
    std::vector<PendingStop> pending;
    pending.reserve(units.size()); // the callbacks point into it
    size_t outstanding = 0;
    for (size_t i = 0; i < units.size(); ++i) {
        pending.push_back({&jobs[i], &results[i], &outstanding});
        sd_bus_slot* slot = nullptr;
        check(sd_bus_call_method_async(bus_, &slot, kService, kManagerPath, kManager, "StopUnit",
                                       on_stop_queued, &pending.back(), "ss", units[i].c_str(),
                                       "replace"),
              "stopping " + units[i]);
        slots.slots.push_back(slot);
        ++outstanding;
    }
    auto all_finished = [&] {
        return std::all_of(jobs.begin(), jobs.end(), [&](const std::string& job) {
            return job.empty() || wait.finished.contains(job);
        });
    };
    while (outstanding > 0 || !all_finished()) {
        int rc = sd_bus_process(bus_, nullptr);
        check(rc, "waiting for stop jobs");
        if (rc == 0) {
            check(sd_bus_wait(bus_, UINT64_MAX), "waiting for stop jobs");
        }
    }
    for (size_t i = 0; i < units.size(); ++i) {
        if (!jobs[i].empty()) {
            results[i] = wait.finished[jobs[i]];
        }
    }
    return results;
}

std::string SystemdManager::start_unit(const std::string& unit, const JobWatcher* watcher) {
    return run_job("StartUnit", "starting", unit, watcher);
}

std::string SystemdManager::stop_unit(const std::string& unit) {
    return run_job("StopUnit", "stopping", unit);
}

void SystemdManager::reset_failed(const std::string& unit) {
    BusError error;
    sd_bus_call_method(bus_, kService, kManagerPath, kManager, "ResetFailedUnit", &error.error,
                       nullptr, "s", unit.c_str());
}

UnitState SystemdManager::unit_state(const std::string& unit) {
    std::string path = unit_path(unit);
    const char* unit_interface = "org.freedesktop.systemd1.Unit";
    UnitState state;
    state.name = unit;
    state.load_state = string_property(bus_, path, unit_interface, "LoadState");
    state.active_state = string_property(bus_, path, unit_interface, "ActiveState");
    state.sub_state = string_property(bus_, path, unit_interface, "SubState");
    if (unit.ends_with(".service")) {
        state.result = string_property(bus_, path, "org.freedesktop.systemd1.Service", "Result");
        state.main_pid = holos::main_pid(bus_, path);
    }
    return state;
}

std::uint32_t SystemdManager::main_pid(const std::string& unit) {
    return holos::main_pid(bus_, unit_path(unit));
}

std::vector<UnitStatus> SystemdManager::unit_statuses(const std::vector<StatusQuery>& queries) {
    std::vector<std::string> names;
    for (const StatusQuery& query : queries) {
        names.push_back(query.unit);
    }
    std::vector<UnitState> states = unit_states(names);
    std::vector<UnitStatus> statuses(queries.size());
    std::vector<PendingProperty> pending;
    pending.reserve(queries.size() * 2); // the callbacks point into it
    size_t outstanding = 0;
    Slots slots;
    for (size_t i = 0; i < queries.size(); ++i) {
        statuses[i].name = queries[i].unit;
        statuses[i].load_state = states[i].load_state;
        statuses[i].active_state = states[i].active_state;
        statuses[i].sub_state = states[i].sub_state;
        std::string path = unit_path(queries[i].unit);
        for (const StatusProperty& property :
             status_properties(states[i].active_state, queries[i].status_text)) {
            pending.push_back({&statuses[i], property.name, &outstanding});
            slots.slots.push_back(ask_property(bus_, path, property, pending.back()));
            ++outstanding;
        }
    }
    while (outstanding > 0) {
        int rc = sd_bus_process(bus_, nullptr);
        check(rc, "reading unit properties");
        if (rc == 0) {
            check(sd_bus_wait(bus_, UINT64_MAX), "waiting for unit properties");
        }
    }
    return statuses;
}

namespace {

// The array of unit records that the ListUnits methods answer with, one UnitState each.
std::vector<UnitState> read_unit_records(sd_bus_message* reply, const std::string& context) {
    std::vector<UnitState> units;
    check(sd_bus_message_enter_container(reply, 'a', "(ssssssouso)"), context);
    const char *name, *description, *load, *active, *sub, *following, *path, *job_type, *job;
    std::uint32_t job_id;
    int rc;
    while ((rc = sd_bus_message_read(reply, "(ssssssouso)", &name, &description, &load, &active,
                                     &sub, &following, &path, &job_id, &job_type, &job)) > 0) {
        units.push_back({name, load, active, sub, "", 0, job_id});
    }
    check(rc, context);
    return units;
}

// Calls a ListUnits method of the manager whose arguments are string arrays.
std::vector<UnitState> call_list_method(sd_bus* bus, const char* method,
                                        std::initializer_list<std::vector<std::string>> arrays,
                                        const std::string& context) {
    BusError error;
    MessageRef call, reply;
    check(sd_bus_message_new_method_call(bus, &call.message, kService, kManagerPath, kManager,
                                         method),
          context);
    for (const std::vector<std::string>& strings : arrays) {
        std::vector<char*> strv;
        for (const std::string& text : strings) {
            strv.push_back(const_cast<char*>(text.c_str()));
        }
        strv.push_back(nullptr);
        check(sd_bus_message_append_strv(call.message, strv.data()), context);
    }
    int rc = sd_bus_call(bus, call.message, 0, &error.error, &reply.message);
    if (rc < 0) {
        throw Error(context + ": " + error.text(rc));
    }
    return read_unit_records(reply.message, context);
}

} // namespace

std::vector<UnitState> SystemdManager::list_units(const std::vector<std::string>& patterns) {
    // No states given: units in any state.
    return call_list_method(bus_, "ListUnitsByPatterns", {{}, patterns}, "listing units");
}

std::vector<UnitState> SystemdManager::unit_states(const std::vector<std::string>& units) {
    if (units.empty()) {
        return {};
    }
    std::vector<UnitState> records =
        call_list_method(bus_, "ListUnitsByNames", {units}, "reading unit states");
    // The manager answers in the order asked; matching by name keeps a surprise harmless.
    std::map<std::string, UnitState> by_name;
    for (UnitState& record : records) {
        by_name.emplace(record.name, std::move(record));
    }
    std::vector<UnitState> states;
    for (const std::string& unit : units) {
        auto found = by_name.find(unit);
        UnitState unknown;
        unknown.name = unit;
        states.push_back(found != by_name.end() ? found->second : unknown);
    }
    return states;
}

} // namespace holos
