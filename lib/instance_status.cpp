#include "instance_status.hpp"

#include "instance_ports.hpp"

#include <algorithm>
#include <array>
#include <ctime>

namespace holos {
namespace {

constexpr std::uint64_t kUsecPerSecond = 1000 * 1000;
constexpr std::uint64_t kNsecPerMsec = 1000 * 1000;
constexpr std::uint64_t kNsecPerSecond = 1000 * kNsecPerMsec;

// An instance counts as up while its unit is active and QEMU runs; a deactivating unit still
// runs QEMU, but shows the uptime of a VM that is going away, which is misleading.
bool is_up(const UnitStatus& unit, const std::optional<ProcessUsage>& usage) {
    return (unit.active_state == "active" || unit.active_state == "reloading") &&
           unit.main_pid != 0 && usage.has_value();
}

std::string rfc3339_utc(std::uint64_t realtime_usec) {
    std::time_t seconds = static_cast<std::time_t>(realtime_usec / kUsecPerSecond);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::array<char, 32> text{};
    std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text.data();
}

std::vector<InstancePort> instance_ports(const Service& service, int index,
                                         const Registration& registration) {
    AllocatedPorts allocated = allocated_ports_of(registration, instance_name(service, index));
    std::vector<InstancePort> ports;
    for (const PortMapping& port : service.ports) {
        ports.push_back({port.host_ip, host_port(port, index, allocated), port.guest_port,
                         port.protocol});
    }
    return ports;
}

// "5" -> "05": the second part of a two-part duration, so columns of them line up.
std::string two_digits(std::uint64_t value) {
    return (value < 10 ? "0" : "") + std::to_string(value);
}

template <typename T> nlohmann::ordered_json or_null(const std::optional<T>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json ports_to_json(const std::vector<InstancePort>& ports) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const InstancePort& port : ports) {
        out.push_back({{"host_ip", port.host_ip},
                       {"host_port", or_null(port.host_port)},
                       {"guest_port", port.guest_port},
                       {"protocol", port.protocol}});
    }
    return out;
}

} // namespace

InstanceStatus instance_status(const std::string& project, const Registration& registration,
                               const InstanceUnit& instance, const InstanceReading& reading,
                               const StatusClock& now) {
    const UnitStatus& unit = reading.unit;
    InstanceStatus status;
    status.project = project;
    status.service = instance.service->name;
    status.instance = instance.instance;
    status.unit = instance.unit;
    status.load_state = unit.load_state;
    status.active_state = unit.active_state;
    status.sub_state = unit.sub_state;
    status.installed = registration.lifetime == Lifetime::installed;
    status.start_at_boot = status.installed && registration.enabled;
    if (!unit.result.empty()) {
        status.result = unit.result;
    }
    if (reading.health) {
        status.health = health_of(*reading.health);
    }
    if (is_up(unit, reading.usage)) {
        std::uint64_t started = reading.usage->started_boottime_usec;
        std::uint64_t elapsed_usec = now.boottime_usec > started ? now.boottime_usec - started : 0;
        status.uptime_s = elapsed_usec / kUsecPerSecond;
        status.started_at =
            rfc3339_utc(now.realtime_usec - std::min(elapsed_usec, now.realtime_usec));
    }
    status.ports = instance_ports(*instance.service, instance.index, registration);
    auto ssh = registration.ssh_ports.find(instance.instance);
    if (ssh != registration.ssh_ports.end()) {
        status.ssh_port = ssh->second;
    }
    if (registration.network) {
        if (auto address = instance_address(*registration.network, instance.instance)) {
            status.ip = format_ipv4(*address);
        }
    }
    if (unit.main_pid != 0) {
        status.pid = unit.main_pid;
    }
    if (reading.usage) {
        status.memory_bytes = reading.usage->resident_bytes;
        status.cpu_usage_ns = reading.usage->cpu_usage_ns;
    }
    return status;
}

std::optional<std::string> health_from_status_text(std::string_view status_text) {
    std::string_view word = status_text.substr(0, status_text.find_first_of(" :,;"));
    if (word == "starting" || word == "healthy" || word == "unhealthy") {
        return std::string(word);
    }
    return std::nullopt;
}

std::optional<std::string> health_of(const UnitStatus& health_unit) {
    const std::string& state = health_unit.active_state;
    if (state == "failed") {
        return "unhealthy";
    }
    if (state == "active" || state == "activating" || state == "reloading") {
        return health_from_status_text(health_unit.status_text);
    }
    return std::nullopt;
}

std::string format_duration(std::uint64_t seconds) {
    constexpr std::uint64_t kMinute = 60, kHour = 60 * kMinute, kDay = 24 * kHour;
    if (seconds < kMinute) {
        return std::to_string(seconds) + "s";
    }
    if (seconds < kHour) {
        return std::to_string(seconds / kMinute) + "m" + two_digits(seconds % kMinute) + "s";
    }
    if (seconds < kDay) {
        return std::to_string(seconds / kHour) + "h" + two_digits(seconds % kHour / kMinute) + "m";
    }
    return std::to_string(seconds / kDay) + "d" + two_digits(seconds % kDay / kHour) + "h";
}

std::string format_cpu_time(std::uint64_t nanoseconds) {
    if (nanoseconds < kNsecPerSecond) {
        return std::to_string(nanoseconds / kNsecPerMsec) + "ms";
    }
    if (nanoseconds < 60 * kNsecPerSecond) {
        std::uint64_t tenths = nanoseconds / (kNsecPerSecond / 10);
        return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "s";
    }
    return format_duration(nanoseconds / kNsecPerSecond);
}

// Below 10 of a unit one decimal is worth its width ("1.5G"); above, it is noise ("512M").
std::string format_bytes(std::uint64_t bytes) {
    static constexpr const char* kUnits[] = {"K", "M", "G", "T", "P", "E"};
    if (bytes < 1024) {
        return std::to_string(bytes) + "B";
    }
    std::uint64_t unit = 1024;
    size_t which = 0;
    while (which + 1 < std::size(kUnits) && bytes / unit >= 1024) {
        unit *= 1024;
        ++which;
    }
    std::uint64_t whole = bytes / unit;
    if (whole >= 10) {
        return std::to_string(whole) + kUnits[which];
    }
    std::uint64_t tenths = (bytes % unit) * 10 / unit; // below 10 even for exbibytes
    return std::to_string(whole) + "." + std::to_string(tenths) + kUnits[which];
}

std::string format_ports(const std::vector<InstancePort>& ports) {
    std::string out;
    for (const InstancePort& port : ports) {
        out += (out.empty() ? "" : ", ") + port.host_ip + ":" +
               (port.host_port ? std::to_string(*port.host_port) : "?") + "->" +
               std::to_string(port.guest_port) + "/" + port.protocol;
    }
    return out;
}

nlohmann::ordered_json instance_status_to_json(const InstanceStatus& status) {
    return {
        {"project", status.project},
        {"service", status.service},
        {"instance", status.instance},
        {"unit", status.unit},
        {"load_state", status.load_state},
        {"active_state", status.active_state},
        {"sub_state", status.sub_state},
        {"installed", status.installed},
        {"start_at_boot", status.start_at_boot},
        {"result", or_null(status.result)},
        {"health", or_null(status.health)},
        {"started_at", or_null(status.started_at)},
        {"uptime_s", or_null(status.uptime_s)},
        {"ports", ports_to_json(status.ports)},
        {"ssh_port", or_null(status.ssh_port)},
        {"pid", or_null(status.pid)},
        {"memory_bytes", or_null(status.memory_bytes)},
        {"cpu_usage_ns", or_null(status.cpu_usage_ns)},
        // The address on the project network; the user-mode NIC's is the same in every guest.
        {"ip", or_null(status.ip)},
    };
}

} // namespace holos
