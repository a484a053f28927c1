// The resolved output of `holosctl config`: durations and sizes, the per-instance ports, and
// the design rule that the YAML is itself a holos.yaml that parses back to the same model.
#include "parse.hpp"
#include "project_output.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <unistd.h>
#include <vector>

namespace holos {
namespace {

// ---- model equality, field by field, so a field the output forgets shows up here ------------

auto fields(const PortMapping& p) {
    return std::tie(p.host_ip, p.host_port, p.guest_port, p.protocol);
}
auto fields(const Command& c) {
    return std::tie(c.argv, c.shell);
}
auto fields(const WriteFile& f) {
    return std::tie(f.path, f.content, f.encoding, f.permissions, f.owner, f.append);
}
auto fields(const PciDevice& d) {
    return std::tie(d.address, d.rom_file);
}
auto fields(const Dependency& d) {
    return std::tie(d.service, d.condition);
}
auto fields(const VolumeMount& m) {
    return std::tie(m.kind, m.source, m.target, m.read_only);
}
auto fields(const NamedVolume& v) {
    return std::tie(v.name, v.size_bytes);
}
auto fields(const VmSpec& vm) {
    return std::tie(vm.vcpu, vm.memory_mib, vm.disk_size_bytes, vm.machine, vm.cpu_model, vm.uefi,
                    vm.accel, vm.extra_args);
}
auto fields(const Healthcheck& h) {
    return std::tuple(fields(h.test), h.interval_ms, h.timeout_ms, h.retries, h.start_period_ms,
                      h.disabled);
}

template <typename T> bool same_list(const std::vector<T>& a, const std::vector<T>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const T& x, const T& y) { return fields(x) == fields(y); });
}

void expect_same_service(const Service& a, const Service& b) {
    SCOPED_TRACE("service " + a.name);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.image, b.image);
    EXPECT_EQ(a.image_format, b.image_format);
    EXPECT_EQ(a.dockerfile, b.dockerfile);
    EXPECT_EQ(a.replicas, b.replicas);
    EXPECT_TRUE(same_list(a.ports, b.ports)) << "ports";
    EXPECT_TRUE(same_list(a.volumes, b.volumes)) << "volumes";
    EXPECT_TRUE(same_list(a.depends_on, b.depends_on)) << "depends_on";
    ASSERT_EQ(a.healthcheck.has_value(), b.healthcheck.has_value()) << "healthcheck";
    if (a.healthcheck) {
        EXPECT_TRUE(fields(*a.healthcheck) == fields(*b.healthcheck)) << "healthcheck";
    }
    EXPECT_EQ(a.stop_grace_period_ms, b.stop_grace_period_ms);
    EXPECT_EQ(a.restart, b.restart);
    EXPECT_EQ(a.environment, b.environment);
    EXPECT_TRUE(fields(a.vm) == fields(b.vm)) << "vm";
    EXPECT_EQ(a.cloud_init.user, b.cloud_init.user);
    EXPECT_EQ(a.cloud_init.packages, b.cloud_init.packages);
    EXPECT_TRUE(same_list(a.cloud_init.write_files, b.cloud_init.write_files)) << "write_files";
    EXPECT_TRUE(same_list(a.cloud_init.runcmd, b.cloud_init.runcmd)) << "runcmd";
    EXPECT_TRUE(same_list(a.cloud_init.bootcmd, b.cloud_init.bootcmd)) << "bootcmd";
    EXPECT_TRUE(same_list(a.devices, b.devices)) << "devices";
}

void expect_same_project(const Project& a, const Project& b) {
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.source_file, b.source_file);
    EXPECT_EQ(a.base_dir, b.base_dir);
    EXPECT_TRUE(same_list(a.volumes, b.volumes)) << "volumes";
    ASSERT_EQ(a.services.size(), b.services.size());
    for (std::size_t i = 0; i < a.services.size(); ++i) {
        expect_same_service(a.services[i], b.services[i]);
    }
}

std::string diagnostics_text(const ParseResult& result) {
    std::string text;
    for (const Diagnostic& diagnostic : result.diagnostics) {
        text += format_diagnostic(diagnostic) + "\n";
    }
    return text;
}

// Writes `project` as YAML, parses it from the same file location and compares.
void expect_round_trip(const Project& project) {
    std::string yaml = project_to_yaml(project);
    ParseResult again = parse_project_text(yaml, "config.yaml", project.source_file);
    ASSERT_TRUE(again.project) << diagnostics_text(again) << "---\n" << yaml;
    expect_same_project(project, *again.project);
    EXPECT_EQ(project_to_yaml(*again.project), yaml);
}

// ---- a model using every field, with files the parser may check for existence ---------------

class TempDir {
public:
    TempDir()
        : path_(std::filesystem::path(::testing::TempDir()) /
                ("holos-output-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(path_ / "data");
        for (const char* file : {"Dockerfile", "base.qcow2", "gpu.rom"}) {
            std::ofstream(path_ / file) << "x\n";
        }
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

Service rich_web(const std::filesystem::path& dir) {
    Service web;
    web.name = "web";
    web.image = (dir / "base.qcow2").string();
    web.image_format = "qcow2";
    web.replicas = 3;
    web.ports = {{"127.0.0.1", 8080, 80, "tcp"},
                 {"0.0.0.0", 9000, 9000, "tcp"},
                 {"127.0.0.1", 0, 22, "tcp"}};
    web.volumes = {{VolumeMount::Kind::named, "cache", "/var/cache/app", true},
                   {VolumeMount::Kind::bind, (dir / "data").string(), "/srv/data", true}};
    web.depends_on = {{"db", DependencyCondition::service_healthy}};
    web.stop_grace_period_ms = 90'500;
    web.restart = RestartPolicy::unless_stopped;
    web.environment = {{"ZED", "last"}, {"PRICE", "costs $5"}, {"EMPTY", ""},
                       {"NUM", "0644"}, {"BOOL", "no"},        {"COLON", "a: b # c"}};
    web.vm = {4, 2048, 20ULL << 30, "pc", "host", true, "kvm", {"-device", "virtio-rng-pci"}};
    web.cloud_init.user = "app";
    web.cloud_init.packages = {"nginx", "curl"};
    web.cloud_init.write_files = {
        {"/etc/motd", "hello\n  indented\n", "", "0600", "app:app", true},
        {"/etc/blob", "H4sIAAAA", "gz+b64", "0644", "", false},
        {"/etc/odd", "  leading\ttab\nno newline at end ", "", "0755", "", false},
        {"/etc/empty", "", "", "0644", "", false},
    };
    web.cloud_init.runcmd = {{{}, "echo \"$HOME\" > /tmp/x"}, {{"touch", "/tmp/y"}, ""}};
    web.cloud_init.bootcmd = {{{}, "true"}};
    return web;
}

Service rich_db(const std::filesystem::path& dir) {
    Service db;
    db.name = "db";
    db.image = "debian:12";
    db.healthcheck = Healthcheck{{{"pg_isready", "-q"}, ""}, 1'000, 500, 5, 60'000, false};
    db.restart = RestartPolicy::on_failure;
    db.vm.disk_size_bytes = 123'456'789;
    db.vm.uefi = true;
    db.devices = {{"0000:01:00.0", dir / "gpu.rom"}, {"0000:01:00.1", {}}};
    return db;
}

Project rich_project(const std::filesystem::path& dir) {
    Project project;
    project.name = "rich";
    project.source_file = dir / "holos.yaml";
    project.base_dir = dir;
    project.services = {rich_web(dir), rich_db(dir)};
    Service job;
    job.name = "job";
    job.image = "debian:12";
    job.healthcheck = Healthcheck{{{}, "test -f /done"}, 30'000, 30'000, 3, 0, true};
    job.depends_on = {{"db", DependencyCondition::service_completed_successfully},
                      {"web", DependencyCondition::service_started}};
    project.services.push_back(job);
    project.volumes = {{"cache", 5ULL << 30}, {"odd", 1'048'577}};
    return project;
}

// ---- tests ---------------------------------------------------------------------------------

TEST(ProjectOutput, ReadsBackARichModelAsTheSameModel) {
    TempDir dir;
    expect_round_trip(rich_project(dir.path()));
}

TEST(ProjectOutput, ReadsBackAMinimalModelAsTheSameModel) {
    TempDir dir;
    Project project;
    project.name = "mini";
    project.source_file = dir.path() / "holos.yaml";
    project.base_dir = dir.path();
    Service web;
    web.name = "web";
    web.image = "debian:12";
    project.services.push_back(web);
    expect_round_trip(project);
}

// The samples, examples and golden inputs: every one that parses must read back the same.
std::vector<std::filesystem::path> sample_files() {
    std::filesystem::path root = HOLOS_SOURCE_DIR;
    std::vector<std::filesystem::path> files;
    auto add = [&](const std::filesystem::path& dir, bool nested) {
        if (!std::filesystem::is_directory(dir)) {
            return;
        }
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            std::filesystem::path file = nested ? entry.path() / "holos.yaml" : entry.path();
            if (file.extension() == ".yaml" && std::filesystem::is_regular_file(file)) {
                files.push_back(file);
            }
        }
    };
    add(root / "tests" / "samples", false);
    add(root / "examples", true);
    add(root / "tests" / "golden", true);
    return files;
}

TEST(ProjectOutput, ReadsBackEverySampleFileAsTheSameModel) {
    int checked = 0;
    for (const std::filesystem::path& file : sample_files()) {
        ParseResult first = parse_project_file(file);
        if (!first.project) {
            continue; // an invalid sample: nothing to print
        }
        SCOPED_TRACE(file.string());
        expect_round_trip(*first.project);
        ++checked;
    }
    EXPECT_GT(checked, 0);
}

TEST(ProjectOutput, ListsTheConcretePortsOfEveryInstance) {
    TempDir dir;
    nlohmann::json json = project_to_json(rich_project(dir.path()));
    const nlohmann::json& instances = json["services"]["web"]["x-instances"];
    ASSERT_EQ(instances.size(), 3u);
    EXPECT_EQ(instances["web-2"]["ports"],
              nlohmann::json(
                  {"127.0.0.1:8082->80/tcp", "0.0.0.0:9002->9000/tcp", "127.0.0.1:auto->22/tcp"}));
}

TEST(ProjectOutput, KeepsDollarSignsLiteralInJsonAndEscapedInYaml) {
    TempDir dir;
    Project project = rich_project(dir.path());
    nlohmann::json json = project_to_json(project);
    EXPECT_EQ(json["services"]["web"]["environment"]["PRICE"], "costs $5");
    EXPECT_NE(project_to_yaml(project).find("costs $$5"), std::string::npos);
}

TEST(ProjectOutput, QuotesStringsThatYamlWouldReadAsOtherTypes) {
    TempDir dir;
    std::string yaml = project_to_yaml(rich_project(dir.path()));
    EXPECT_NE(yaml.find("NUM: \"0644\""), std::string::npos) << yaml;
    EXPECT_NE(yaml.find("BOOL: \"no\""), std::string::npos) << yaml;
    EXPECT_NE(yaml.find("permissions: \"0600\""), std::string::npos) << yaml;
}

struct DurationCase {
    std::int64_t ms;
    std::string text;
};

TEST(FormatDuration, UsesTheLargestUnitsThatAddUpExactly) {
    const DurationCase cases[] = {
        {0, "0s"},         {500, "500ms"},    {1'000, "1s"},
        {90'000, "1m30s"}, {3'600'000, "1h"}, {3'661'001, "1h1m1s1ms"},
    };
    for (const DurationCase& c : cases) {
        EXPECT_EQ(format_duration(c.ms), c.text) << c.ms << " ms";
    }
}

TEST(FormatSize, UsesABinaryUnitOnlyWhenItDividesTheSize) {
    EXPECT_EQ(format_size(10ULL << 30), "10G");
    EXPECT_EQ(format_size(1536ULL << 20), "1536M");
    EXPECT_EQ(format_size(2ULL << 40), "2T");
    EXPECT_EQ(format_size(1'048'577), "1048577");
}

} // namespace
} // namespace holos
