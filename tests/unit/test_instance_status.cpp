// The human forms of holosctl ps, and its JSON against lib/ps.schema.json: every key the
// output has is in the schema and required there, so scripts can rely on the documented
// shape (tests/e2e/day2.d/10-ps.sh validates real output with a full validator).
#include "instance_status.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

namespace holos {
namespace {

using nlohmann::json;

struct FormatCase {
    std::uint64_t input;
    const char* expected;
};

TEST(InstanceStatus, FormatsDurationsWithTheTwoLargestUnits) {
    const FormatCase cases[] = {{0, "0s"},         {59, "59s"},       {60, "1m00s"},
                                {192, "3m12s"},    {3599, "59m59s"},  {3600, "1h00m"},
                                {7500, "2h05m"},   {86399, "23h59m"}, {86400, "1d00h"},
                                {356400, "4d03h"}, {8640000, "100d00h"}};
    for (const FormatCase& c : cases) {
        EXPECT_EQ(format_duration(c.input), c.expected) << "seconds: " << c.input;
    }
}

TEST(InstanceStatus, FormatsCpuTimeFromMillisecondsUp) {
    const FormatCase cases[] = {{0, "0ms"},
                                {999999, "0ms"},
                                {350000000, "350ms"},
                                {1000000000, "1.0s"},
                                {4250000000, "4.2s"},
                                {59990000000, "59.9s"},
                                {192000000000, "3m12s"}};
    for (const FormatCase& c : cases) {
        EXPECT_EQ(format_cpu_time(c.input), c.expected) << "nanoseconds: " << c.input;
    }
}

TEST(InstanceStatus, FormatsSizesInBinaryUnitsRoundedDown) {
    const FormatCase cases[] = {{0, "0B"},
                                {1023, "1023B"},
                                {1024, "1.0K"},
                                {1536, "1.5K"},
                                {10239, "9.9K"},
                                {10240, "10K"},
                                {512ULL << 20, "512M"},
                                {(1ULL << 30) - 1, "1023M"},
                                {3ULL << 29, "1.5G"},
                                {12ULL << 30, "12G"},
                                {5ULL << 40, "5.0T"}};
    for (const FormatCase& c : cases) {
        EXPECT_EQ(format_bytes(c.input), c.expected) << "bytes: " << c.input;
    }
}

TEST(InstanceStatus, ReadsHealthFromTheFirstWordOfTheStatusText) {
    EXPECT_EQ(health_from_status_text("healthy"), "healthy");
    EXPECT_EQ(health_from_status_text("unhealthy: check failed 3 times"), "unhealthy");
    EXPECT_EQ(health_from_status_text(""), std::nullopt);
    EXPECT_EQ(health_from_status_text("booting"), std::nullopt);
    EXPECT_EQ(health_from_status_text("healthyish"), std::nullopt);
}

// 2023-11-14T22:13:20Z, and the boot clock at that moment.
constexpr std::uint64_t kStartRealtimeUsec = 1700000000ULL * 1000000;
constexpr std::uint64_t kStartBoottimeUsec = 10 * 1000000ULL;

struct Fixture {
    Service web;
    Registration registration;
    InstanceUnit instance;
    InstanceReading running;
    StatusClock start_plus_192s{kStartBoottimeUsec + 192 * 1000000ULL + 999,
                                kStartRealtimeUsec + 192 * 1000000ULL + 999};

    Fixture() {
        web.name = "web";
        web.replicas = 2;
        web.ports = {{"127.0.0.1", 8080, 80, "tcp"}, {"0.0.0.0", 0, 53, "udp"}};
        registration.project = "hello";
        registration.ssh_ports = {{"web-1", 40023}};
        instance = {&web, 1, "web-1", "holos-hello-web@1.service"};
        running.unit.name = instance.unit;
        running.unit.load_state = "loaded";
        running.unit.active_state = "active";
        running.unit.sub_state = "running";
        running.unit.main_pid = 4242;
        running.usage = ProcessUsage{kStartBoottimeUsec, 1500000000, 512ULL << 20};
    }

    InstanceStatus status(const InstanceReading& reading) const {
        return instance_status("hello", registration, instance, reading, start_plus_192s);
    }
};

TEST(InstanceStatus, JoinsTheUnitWithTheReplicasPorts) {
    Fixture f;
    InstanceStatus s = f.status(f.running);
    EXPECT_EQ(s.uptime_s, 192u);
    EXPECT_EQ(s.started_at, "2023-11-14T22:13:20Z");
    EXPECT_EQ(s.pid, 4242u);
    EXPECT_EQ(s.memory_bytes, 512ULL << 20);
    EXPECT_EQ(s.cpu_usage_ns, 1500000000u);
    EXPECT_EQ(s.ssh_port, 40023);
    EXPECT_EQ(format_ports(s.ports), "127.0.0.1:8081->80/tcp, 0.0.0.0:?->53/udp");
    EXPECT_EQ(s.health, std::nullopt);
}

TEST(InstanceStatus, ShowsTheAddressOnTheProjectNetwork) {
    Fixture f;
    f.registration.network = ProjectNetwork{
        {0x0a0a0000, 24}, {"239.192.1.2", 20001}, {{"web-0", 0x0a0a0002}, {"web-1", 0x0a0a0003}}};
    InstanceStatus s = f.status(f.running);
    EXPECT_EQ(s.ip, "10.10.0.3");
    EXPECT_EQ(instance_status_to_json(s)["ip"], "10.10.0.3");
}

TEST(InstanceStatus, HasNoUptimeOrPidWhenTheUnitIsStopped) {
    Fixture f;
    InstanceReading stopped = f.running;
    stopped.unit.active_state = "inactive";
    stopped.unit.sub_state = "dead";
    stopped.unit.main_pid = 0;
    stopped.usage.reset();
    InstanceStatus s = f.status(stopped);
    EXPECT_EQ(s.uptime_s, std::nullopt);
    EXPECT_EQ(s.started_at, std::nullopt);
    EXPECT_EQ(s.pid, std::nullopt);
    EXPECT_EQ(s.memory_bytes, std::nullopt);
}

TEST(InstanceStatus, HasNoUptimeWhileTheUnitStops) {
    Fixture f;
    InstanceReading stopping = f.running;
    stopping.unit.active_state = "deactivating";
    InstanceStatus s = f.status(stopping);
    EXPECT_EQ(s.uptime_s, std::nullopt);
    EXPECT_EQ(s.pid, 4242u);
}

TEST(InstanceStatus, HasNoUptimeWhenQemuCouldNotBeRead) {
    Fixture f;
    InstanceReading gone = f.running;
    gone.usage.reset();
    InstanceStatus s = f.status(gone);
    EXPECT_EQ(s.uptime_s, std::nullopt);
    EXPECT_EQ(s.memory_bytes, std::nullopt);
}

TEST(InstanceStatus, HealthComesFromTheHealthUnit) {
    Fixture f;
    UnitStatus health;
    health.active_state = "active";
    health.status_text = "unhealthy: 3 probes failed in a row: exit status 1";
    InstanceReading reading = f.running;
    reading.health = health;
    EXPECT_EQ(f.status(reading).health, "unhealthy");
    health.active_state = "activating";
    health.status_text = "starting: last probe failed (in the start period): refused";
    EXPECT_EQ(health_of(health), "starting");
    health.active_state = "failed";
    EXPECT_EQ(health_of(health), "unhealthy");
    health.active_state = "inactive";
    EXPECT_EQ(health_of(health), std::nullopt);
}

TEST(InstanceStatus, TheInstanceUnitsOwnStatusTextIsNotHealth) {
    Fixture f;
    f.running.unit.status_text = "healthy";
    EXPECT_EQ(f.status(f.running).health, std::nullopt);
}

const json& ps_schema() {
    static const json loaded = [] {
        std::ifstream file(std::filesystem::path(HOLOS_SOURCE_DIR) / "lib" / "ps.schema.json");
        return json::parse(file);
    }();
    return loaded;
}

std::set<std::string> keys(const json& object) {
    std::set<std::string> out;
    for (const auto& [key, value] : object.items()) {
        out.insert(key);
    }
    return out;
}

TEST(InstanceStatus, JsonHasExactlyTheSchemasRequiredKeys) {
    Fixture f;
    json instance = json::parse(instance_status_to_json(f.status(f.running)).dump());
    const json& item = ps_schema()["$defs"]["instance"];
    EXPECT_EQ(keys(instance), keys(item["properties"]));
    EXPECT_EQ(keys(instance), item["required"].get<std::set<std::string>>());
    const json& port = ps_schema()["$defs"]["port"];
    EXPECT_EQ(keys(instance["ports"][0]), port["required"].get<std::set<std::string>>());
}

TEST(InstanceStatus, JsonUsesNullForWhatIsUnknown) {
    Fixture f;
    json out = json::parse(instance_status_to_json(f.status(InstanceReading{})).dump());
    for (const char* key : {"result", "health", "started_at", "uptime_s", "pid", "memory_bytes",
                            "cpu_usage_ns", "ip"}) {
        EXPECT_TRUE(out[key].is_null()) << key;
    }
    EXPECT_EQ(out["ssh_port"], 40023);
    EXPECT_EQ(out["ports"][1]["host_port"], nullptr);
}

TEST(InstanceStatus, JsonKeepsTheSchemasKeyOrder) {
    Fixture f;
    std::string text = instance_status_to_json(f.status(f.running)).dump();
    EXPECT_LT(text.find("\"project\""), text.find("\"instance\""));
    EXPECT_LT(text.find("\"instance\""), text.find("\"pid\""));
}

} // namespace
} // namespace holos
