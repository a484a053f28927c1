// What holosctl ps reports about an instance: its unit's state and resource use joined with
// the project's ports, in the human forms of the table and the stable JSON shape described
// by lib/ps.schema.json. Pure: the caller supplies the unit status and the clock.
#pragma once

#include "process_usage.hpp"
#include "registry.hpp"
#include "unit_graph.hpp"
#include "unit_status.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos {

struct InstancePort {
    std::string host_ip;
    std::optional<std::uint16_t> host_port; // unset: allocated at up, not recorded (yet)
    std::uint16_t guest_port = 0;
    std::string protocol;
};

struct InstanceStatus {
    std::string project;
    std::string service;
    std::string instance; // web-0
    std::string unit;     // holos-hello-web@0.service
    std::string load_state;
    std::string active_state;
    std::string sub_state;
    bool installed = false;     // registered under the config directory (install)
    bool start_at_boot = false; // installed with --enable
    std::optional<std::string> result;
    std::optional<std::string> health;     // "starting", "healthy" or "unhealthy"
    std::optional<std::string> started_at; // RFC 3339, UTC, while active
    std::optional<std::uint64_t> uptime_s; // while active
    std::vector<InstancePort> ports;
    std::optional<std::uint16_t> ssh_port; // on 127.0.0.1
    std::optional<std::string> ip;         // on the project network
    std::optional<std::uint32_t> pid;      // QEMU's
    std::optional<std::uint64_t> memory_bytes;
    std::optional<std::uint64_t> cpu_usage_ns;
};

// What was read about an instance: its unit, its QEMU's usage while that runs, and, for a
// service with a healthcheck, its health unit.
struct InstanceReading {
    UnitStatus unit;
    std::optional<ProcessUsage> usage;
    std::optional<UnitStatus> health;
};

// When the reading was taken: uptimes are measured on CLOCK_BOOTTIME, as the kernel's process
// start times are, and start times are shown from CLOCK_REALTIME.
struct StatusClock {
    std::uint64_t boottime_usec = 0;
    std::uint64_t realtime_usec = 0;
};

// Joins an instance of a project with what was read about it.
InstanceStatus instance_status(const std::string& project, const Registration& registration,
                               const InstanceUnit& instance, const InstanceReading& reading,
                               const StatusClock& now);

// "starting", "healthy" or "unhealthy" when that is the first word of a status text.
std::optional<std::string> health_from_status_text(std::string_view status_text);

// The health an instance's health unit reports: its status text while it runs, "unhealthy"
// once it failed (it gave up before a probe passed), nothing while it is stopped.
std::optional<std::string> health_of(const UnitStatus& health_unit);

// "42s", "3m12s", "2h05m", "4d03h".
std::string format_duration(std::uint64_t seconds);

// "350ms", "4.2s", then as format_duration.
std::string format_cpu_time(std::uint64_t nanoseconds);

// Binary units, rounded down: "900B", "1.5K", "512M", "12G".
std::string format_bytes(std::uint64_t bytes);

// "127.0.0.1:8080->80/tcp, 127.0.0.1:8081->81/tcp"; "?" for an unknown host port.
std::string format_ports(const std::vector<InstancePort>& ports);

// One element of `holosctl ps --json`; keys in the order lib/ps.schema.json lists them.
nlohmann::ordered_json instance_status_to_json(const InstanceStatus& status);

} // namespace holos
