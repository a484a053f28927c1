#include "machined.hpp"

#include "error.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <systemd/sd-bus.h>

namespace holos {
namespace {

constexpr const char* kService = "org.freedesktop.machine1";
constexpr const char* kPath = "/org/freedesktop/machine1";
constexpr const char* kManager = "org.freedesktop.machine1.Manager";

struct Bus {
    sd_bus* bus = nullptr;
    ~Bus() { sd_bus_flush_close_unref(bus); }
};

struct Call {
    sd_bus_message* message = nullptr;
    sd_bus_error error = SD_BUS_ERROR_NULL;
    ~Call() {
        sd_bus_message_unref(message);
        sd_bus_error_free(&error);
    }
};

void check(int rc, const std::string& context) {
    if (rc < 0) {
        throw system_error(context, -rc);
    }
}

void open_system_bus(Bus& bus, const std::string& context) {
    check(sd_bus_open_system(&bus.bus), context + ": connecting to the system bus");
}

std::string call_error(const Call& call, int rc) {
    return call.error.message ? call.error.message : std::strerror(-rc);
}

} // namespace

std::string machine_name(const std::string& project, const std::string& instance) {
    return project + "-" + instance;
}

void register_machine(const std::string& name, pid_t leader) {
    std::string context = "registering machine " + name;
    Bus bus;
    open_system_bus(bus, context);
    Call call;
    check(sd_bus_message_new_method_call(bus.bus, &call.message, kService, kPath, kManager,
                                         "RegisterMachine"),
          context);
    // No machine id (an empty array), no root directory: a VM has neither on the host.
    check(sd_bus_message_append(call.message, "s", name.c_str()), context);
    check(sd_bus_message_append_array(call.message, 'y', nullptr, 0), context);
    check(sd_bus_message_append(call.message, "ssus", "holos", "vm",
                                static_cast<std::uint32_t>(leader), ""),
          context);
    int rc = sd_bus_call(bus.bus, call.message, 0, &call.error, nullptr);
    if (rc < 0) {
        throw Error(context + ": " + call_error(call, rc));
    }
}

void unregister_machine(const std::string& name) {
    std::string context = "unregistering machine " + name;
    Bus bus;
    open_system_bus(bus, context);
    Call call;
    int rc = sd_bus_call_method(bus.bus, kService, kPath, kManager, "UnregisterMachine",
                                &call.error, nullptr, "s", name.c_str());
    if (rc < 0 && !sd_bus_error_has_name(&call.error, "org.freedesktop.machine1.NoSuchMachine")) {
        throw Error(context + ": " + call_error(call, rc));
    }
}

} // namespace holos
