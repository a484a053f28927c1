// holos.yaml fields as the model sees them: one test per field or rule, merge keys, the
// warnings on risky settings, the size and duration grammars, and the key tables.
#include "parse_keys.hpp"
#include "parse_sizes.hpp"
#include "test_parse_support.hpp"

#include <algorithm>

namespace holos {
namespace {

using testing::formatted;
using testing::parse;
using testing::TempDir;

// Parses a file that must be free of diagnostics and returns its project.
Project parse_clean(const std::string& yaml,
                    const std::filesystem::path& source = "/srv/demo/holos.yaml") {
    ParseResult result = parse(yaml, source);
    EXPECT_EQ(formatted(result), std::vector<std::string>{});
    return result.project.value_or(Project{});
}

const Service& first_service(const Project& project) {
    static const Service kNone;
    return project.services.empty() ? kNone : project.services.front();
}

std::string web(const std::string& body) {
    return "services:\n  web:\n    image: a\n" + body;
}

// ---- ports ---------------------------------------------------------------------------------

TEST(ParsePorts, GuestOnlyLeavesTheHostPortToBeChosen) {
    Service web_service = first_service(parse_clean(web("    ports: [\"80\", 8080]\n")));
    ASSERT_EQ(web_service.ports.size(), 2u);
    EXPECT_EQ(web_service.ports[0].host_port, 0);
    EXPECT_EQ(web_service.ports[0].guest_port, 80);
    EXPECT_EQ(web_service.ports[1].guest_port, 8080);
}

TEST(ParsePorts, ExpandsRangesToOneMappingPerPort) {
    Service web_service = first_service(parse_clean(web("    ports: [\"8080-8082:80-82/udp\"]\n")));
    ASSERT_EQ(web_service.ports.size(), 3u);
    EXPECT_EQ(web_service.ports[2].host_port, 8082);
    EXPECT_EQ(web_service.ports[2].guest_port, 82);
    EXPECT_EQ(web_service.ports[2].protocol, "udp");
}

TEST(ParsePorts, AcceptsAnIpWithAnEmptyHostPort) {
    Service web_service = first_service(parse_clean(web("    ports: [\"127.0.0.2::80\"]\n")));
    ASSERT_EQ(web_service.ports.size(), 1u);
    EXPECT_EQ(web_service.ports[0].host_ip, "127.0.0.2");
    EXPECT_EQ(web_service.ports[0].host_port, 0);
}

TEST(ParsePorts, AllowsTheSamePortForTcpAndUdp) {
    parse_clean(web("    ports: [\"5353:53/udp\", \"5353:53\"]\n"));
}

TEST(ParsePorts, AcceptsUnquotedMappingsYaml11CannotMisread) {
    Service web_service = first_service(parse_clean(web("    ports:\n      - 8080:80\n")));
    EXPECT_EQ(web_service.ports.at(0).host_port, 8080);
}

// ---- volumes -------------------------------------------------------------------------------

TEST(ParseVolumes, DeclaresNamedVolumesWithDefaultAndGivenSizes) {
    Project project = parse_clean("volumes:\n  data:\n  logs: {size: 1.5G}\n  raw: {size: 1024}\n" +
                                  web("    volumes: [\"data:/data:ro\", \"logs:/var/log\"]\n"));
    ASSERT_EQ(project.volumes.size(), 3u);
    EXPECT_EQ(project.volumes[0].size_bytes, kDefaultVolumeBytes);
    EXPECT_EQ(project.volumes[1].size_bytes, 3ULL << 29);
    EXPECT_EQ(project.volumes[2].size_bytes, 1024u);
    const std::vector<VolumeMount>& mounts = first_service(project).volumes;
    ASSERT_EQ(mounts.size(), 2u);
    EXPECT_EQ(mounts[0].kind, VolumeMount::Kind::named);
    EXPECT_EQ(mounts[0].source, "data");
    EXPECT_TRUE(mounts[0].read_only);
    EXPECT_FALSE(mounts[1].read_only);
}

TEST(ParseVolumes, MakesBindSourcesAbsolute) {
    TempDir dir("binds");
    std::filesystem::create_directories(dir.path() / "src");
    Project project = parse_clean(web("    volumes: [\"./src:/src:rw\", \".:/project\"]\n"),
                                  dir.path() / "holos.yaml");
    const std::vector<VolumeMount>& mounts = first_service(project).volumes;
    ASSERT_EQ(mounts.size(), 2u);
    EXPECT_EQ(mounts[0].kind, VolumeMount::Kind::bind);
    EXPECT_EQ(mounts[0].source, (dir.path() / "src").string());
    EXPECT_EQ(mounts[1].source, dir.path().string());
}

TEST(ParseVolumes, ShareAVolumeReadOnlyAmongReplicas) {
    Project project = parse_clean("volumes:\n  assets:\n" +
                                  web("    replicas: 3\n    volumes: [\"assets:/a:ro\"]\n"));
    EXPECT_TRUE(first_service(project).volumes.at(0).read_only);
}

TEST(ParseVolumes, RejectsABindSourceThatIsAFile) {
    TempDir dir("bind-file");
    dir.write("site.conf", "x");
    ParseResult result = testing::parse(web("    volumes: [\"./site.conf:/etc/site.conf\"]\n"),
                                        dir.path() / "holos.yaml");
    EXPECT_EQ(formatted(result),
              (std::vector<std::string>{
                  "holos.yaml:4:15: services.web.volumes[0]: bind source \"./site.conf\" is not "
                  "a directory; a bind mount shares a directory (virtiofs)"}));
}

TEST(ParseVolumes, RejectsABindSourceUnitFilesCannotCarry) {
    TempDir dir("bind-quote");
    std::filesystem::create_directories(dir.path() / "a\"b");
    ParseResult result = testing::parse(web("    volumes: ['./a\"b:/srv']\n"),
                                        dir.path() / "holos.yaml");
    ASSERT_EQ(result.diagnostics.size(), 1u);
    EXPECT_NE(formatted(result)[0].find("contains a quote, a backslash or a control character"),
              std::string::npos);
}

// ---- images and Dockerfiles ----------------------------------------------------------------

TEST(ParseImage, StoresALocalImageAsAnAbsolutePath) {
    TempDir dir("image");
    dir.write("disks/base.qcow2", "");
    Service service = first_service(parse_clean(
        "services:\n  web:\n    image: ./disks/base.qcow2\n", dir.path() / "holos.yaml"));
    EXPECT_EQ(service.image, (dir.path() / "disks" / "base.qcow2").string());
    EXPECT_EQ(service.image_format, "");
}

TEST(ParseImage, RejectsADirectoryAsImage) {
    TempDir dir("image-dir");
    std::filesystem::create_directories(dir.path() / "disks");
    ParseResult result =
        parse("services:\n  web:\n    image: ./disks\n", dir.path() / "holos.yaml");
    EXPECT_EQ(formatted(result), std::vector<std::string>{"holos.yaml:3:12: services.web.image: "
                                                          "\"./disks\" is not a regular file"});
}

TEST(ParseImage, TakesTheImageFromTheDockerfile) {
    TempDir dir("dockerfile");
    dir.write("Dockerfile", "# syntax\nARG X=1\nFROM --platform=linux/amd64 debian-12 AS base\n");
    Service service = first_service(
        parse_clean("services:\n  web:\n    dockerfile: Dockerfile\n", dir.path() / "holos.yaml"));
    EXPECT_EQ(service.image, "debian-12");
    EXPECT_EQ(service.dockerfile, dir.path() / "Dockerfile");
}

TEST(ParseImage, AcceptsAnImageThatMatchesTheDockerfile) {
    TempDir dir("dockerfile-same");
    dir.write("Dockerfile", "from debian-12\n");
    parse_clean("services:\n  web:\n    image: debian-12\n    dockerfile: Dockerfile\n",
                dir.path() / "holos.yaml");
}

TEST(ParseImage, RejectsAnImageThatDiffersFromTheDockerfile) {
    TempDir dir("dockerfile-differs");
    std::filesystem::path dockerfile = dir.write("Dockerfile", "FROM debian-12\n");
    ParseResult result = parse("services:\n  web:\n    image: ubuntu-24.04\n"
                               "    dockerfile: Dockerfile\n",
                               dir.path() / "holos.yaml");
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{"holos.yaml:3:12: services.web.image: image "
                                       "\"ubuntu-24.04\" differs from \"debian-12\" in the FROM "
                                       "line of \"" +
                                       dockerfile.string() + "\", remove one of them"});
}

TEST(ParseImage, RejectsADockerfileWithoutFrom) {
    TempDir dir("dockerfile-nofrom");
    dir.write("Dockerfile", "# only a comment\n");
    ParseResult result =
        parse("services:\n  web:\n    dockerfile: Dockerfile\n", dir.path() / "holos.yaml");
    EXPECT_EQ(formatted(result), std::vector<std::string>{"Dockerfile: has no FROM line"});
}

// ---- dependencies and healthchecks ---------------------------------------------------------

TEST(ParseDependsOn, ListFormWaitsForHealthWhenTheDependencyHasAHealthcheck) {
    Project project = parse_clean("services:\n  web:\n    image: a\n    depends_on: [db, cache]\n"
                                  "  db:\n    image: a\n    healthcheck: {test: pg_isready}\n"
                                  "  cache:\n    image: a\n");
    const std::vector<Dependency>& depends_on = first_service(project).depends_on;
    ASSERT_EQ(depends_on.size(), 2u);
    EXPECT_EQ(depends_on[0].service, "db");
    EXPECT_EQ(depends_on[0].condition, DependencyCondition::service_healthy);
    EXPECT_EQ(depends_on[1].condition, DependencyCondition::service_started);
}

TEST(ParseDependsOn, MapFormKeepsTheGivenConditionAndDefaultsToStarted) {
    Project project = parse_clean("services:\n  web:\n    image: a\n    depends_on:\n"
                                  "      db:\n      job: {condition: "
                                  "service_completed_successfully}\n"
                                  "  db:\n    image: a\n    healthcheck: {test: x}\n"
                                  "  job:\n    image: a\n");
    const std::vector<Dependency>& depends_on = first_service(project).depends_on;
    ASSERT_EQ(depends_on.size(), 2u);
    EXPECT_EQ(depends_on[0].condition, DependencyCondition::service_started);
    EXPECT_EQ(depends_on[1].condition, DependencyCondition::service_completed_successfully);
}

TEST(ParseDependsOn, ReportsEachCycleOnce) {
    ParseResult result = parse("services:\n  a:\n    image: x\n    depends_on: [b]\n"
                               "  b:\n    image: x\n    depends_on: [a, c]\n"
                               "  c:\n    image: x\n    depends_on: [c2]\n"
                               "  c2:\n    image: x\n    depends_on: [c]\n");
    EXPECT_EQ(formatted(result),
              (std::vector<std::string>{
                  "holos.yaml:4:5: services.a.depends_on: dependency cycle: a -> b -> a",
                  "holos.yaml:10:5: services.c.depends_on: dependency cycle: c -> c2 -> c"}));
}

TEST(ParseHealthcheck, FillsEveryField) {
    Service service = first_service(
        parse_clean(web("    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://x\"]\n"
                        "      interval: 1m30s\n      timeout: 1.5s\n      retries: 5\n"
                        "      start_period: 500ms\n")));
    ASSERT_TRUE(service.healthcheck.has_value());
    EXPECT_EQ(service.healthcheck->test.argv, (std::vector<std::string>{"curl", "-f", "http://x"}));
    EXPECT_EQ(service.healthcheck->interval_ms, 90'000);
    EXPECT_EQ(service.healthcheck->timeout_ms, 1'500);
    EXPECT_EQ(service.healthcheck->retries, 5);
    EXPECT_EQ(service.healthcheck->start_period_ms, 500);
    EXPECT_FALSE(service.healthcheck->disabled);
}

TEST(ParseHealthcheck, ReadsShellFormsAndDefaults) {
    Service shell = first_service(parse_clean(web("    healthcheck: {test: \"curl -f x\"}\n")));
    EXPECT_EQ(shell.healthcheck->test.shell, "curl -f x");
    EXPECT_EQ(shell.healthcheck->interval_ms, 30'000);
    EXPECT_EQ(shell.healthcheck->retries, 3);
    Service cmd_shell =
        first_service(parse_clean(web("    healthcheck: {test: [CMD-SHELL, \"curl -f x\"]}\n")));
    EXPECT_EQ(cmd_shell.healthcheck->test.shell, "curl -f x");
    EXPECT_TRUE(cmd_shell.healthcheck->test.argv.empty());
}

TEST(ParseHealthcheck, NoneAndDisableTurnItOff) {
    Service none = first_service(parse_clean(web("    healthcheck: {test: [NONE]}\n")));
    EXPECT_TRUE(none.healthcheck->disabled);
    Service disabled = first_service(parse_clean(web("    healthcheck: {disable: true}\n")));
    EXPECT_TRUE(disabled.healthcheck->disabled);
}

// ---- service values ------------------------------------------------------------------------

TEST(ParseService, ReadsRestartIncludingUnquotedNo) {
    EXPECT_EQ(first_service(parse_clean(web("    restart: no\n"))).restart, RestartPolicy::no);
    EXPECT_EQ(first_service(parse_clean(web("    restart: on-failure\n"))).restart,
              RestartPolicy::on_failure);
    EXPECT_EQ(first_service(parse_clean(web("    restart: always\n"))).restart,
              RestartPolicy::always);
}

TEST(ParseService, ReadsStopGracePeriodAndDefaultsIt) {
    EXPECT_EQ(first_service(parse_clean(web("    stop_grace_period: 2m\n"))).stop_grace_period_ms,
              120'000);
    EXPECT_EQ(first_service(parse_clean(web(""))).stop_grace_period_ms, kDefaultStopGraceMs);
}

TEST(ParseService, IgnoresExtensionKeys) {
    parse_clean(web("    x-owner: team-a\n    x-anything: {a: [1, 2]}\n"));
}

TEST(ParseEnvironment, KeepsListAndMapFormsInFileOrderWithValuesAsWritten) {
    Service list =
        first_service(parse_clean(web("    environment: [\"B=1\", \"A=x=y\", \"E=\"]\n")));
    EXPECT_EQ(list.environment, (std::vector<std::pair<std::string, std::string>>{
                                    {"B", "1"}, {"A", "x=y"}, {"E", ""}}));
    Service map = first_service(
        parse_clean(web("    environment:\n      PORT: 8080\n      DEBUG: yes\n      RATIO: 0.50\n"
                        "      NAME: \"x\"\n")));
    EXPECT_EQ(map.environment,
              (std::vector<std::pair<std::string, std::string>>{
                  {"PORT", "8080"}, {"DEBUG", "yes"}, {"RATIO", "0.50"}, {"NAME", "x"}}));
}

TEST(ParseEnvironment, TakesBareNamesFromTheVariables) {
    ParseResult result = parse_project_text(web("    environment: [TOKEN]\n"), "holos.yaml",
                                            "/srv/demo/holos.yaml", {{"TOKEN", "s3cret"}});
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->services[0].environment.at(0).second, "s3cret");
    EXPECT_EQ(result.variables_used, (Variables{{"TOKEN", "s3cret"}}));
}

// ---- cloud_init ----------------------------------------------------------------------------

TEST(ParseCloudInit, ReadsCommandsInBothForms) {
    CloudInit cloud_init =
        first_service(
            parse_clean(
                web("    cloud_init:\n      runcmd:\n        - echo one\n        - [touch, /two]\n"
                    "      bootcmd: [\"modprobe x\"]\n")))
            .cloud_init;
    ASSERT_EQ(cloud_init.runcmd.size(), 2u);
    EXPECT_EQ(cloud_init.runcmd[0].shell, "echo one");
    EXPECT_EQ(cloud_init.runcmd[1].argv, (std::vector<std::string>{"touch", "/two"}));
    ASSERT_EQ(cloud_init.bootcmd.size(), 1u);
    EXPECT_EQ(cloud_init.bootcmd[0].shell, "modprobe x");
}

TEST(ParseCloudInit, ReadsWriteFileOptionsAndNormalisesEncodings) {
    CloudInit cloud_init =
        first_service(
            parse_clean(web("    cloud_init:\n      write_files:\n"
                            "        - {path: /a, encoding: base64, content: aGk=, owner: "
                            "\"www-data:www-data\", "
                            "append: true}\n"
                            "        - {path: /b, encoding: gz}\n"
                            "        - {path: /c, encoding: gzip+base64, content: \"aGk=\\n\"}\n")))
            .cloud_init;
    ASSERT_EQ(cloud_init.write_files.size(), 3u);
    EXPECT_EQ(cloud_init.write_files[0].encoding, "b64");
    EXPECT_EQ(cloud_init.write_files[0].content, "aGk=");
    EXPECT_EQ(cloud_init.write_files[0].owner, "www-data:www-data");
    EXPECT_TRUE(cloud_init.write_files[0].append);
    EXPECT_EQ(cloud_init.write_files[1].encoding, "gzip");
    EXPECT_EQ(cloud_init.write_files[2].encoding, "gz+b64");
    EXPECT_FALSE(cloud_init.write_files[1].append);
}

// ---- vm and devices ------------------------------------------------------------------------

TEST(ParseVm, FillsEveryField) {
    VmSpec vm =
        first_service(
            parse_clean(web("    vm:\n      vcpu: 4\n      memory: 2G\n      disk_size: 20GiB\n"
                            "      machine: pc-q35-8.2\n      cpu_model: Skylake-Server,-hle\n     "
                            " uefi: true\n"
                            "      accel: tcg\n")))
            .vm;
    EXPECT_EQ(vm.vcpu, 4);
    EXPECT_EQ(vm.memory_mib, 2048);
    EXPECT_EQ(vm.disk_size_bytes, std::optional<std::uint64_t>(20ULL << 30));
    EXPECT_EQ(vm.machine, "pc-q35-8.2");
    EXPECT_EQ(vm.cpu_model, "Skylake-Server,-hle");
    EXPECT_TRUE(vm.uefi);
    EXPECT_EQ(vm.accel, "tcg");
}

TEST(ParseVm, DefaultsMatchTheModel) {
    VmSpec vm = first_service(parse_clean(web(""))).vm;
    EXPECT_EQ(vm.memory_mib, kDefaultMemoryMiB);
    EXPECT_EQ(vm.machine, "q35");
    EXPECT_FALSE(vm.disk_size_bytes.has_value());
    EXPECT_FALSE(vm.uefi);
    EXPECT_EQ(vm.accel, "");
}

TEST(ParseVm, WarnsThatExtraArgsAreUnchecked) {
    ParseResult result =
        parse(web("    vm:\n      extra_args: [\"-device\", \"virtio-rng-pci\"]\n"));
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->services[0].vm.extra_args,
              (std::vector<std::string>{"-device", "virtio-rng-pci"}));
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{"holos.yaml:5:7: warning: services.web.vm.extra_args: "
                                       "passed to QEMU unchecked: holos cannot tell whether "
                                       "they clash with the options it sets"});
}

TEST(ParseDevices, NormalisesAddressesAndImpliesUefi) {
    TempDir dir("devices");
    dir.write("vbios.rom", "");
    Service service = first_service(
        parse_clean(web("    devices:\n      - {pci: \"0A:00.0\", rom_file: vbios.rom}\n"
                        "      - pci: \"0000:0a:00.1\"\n"),
                    dir.path() / "holos.yaml"));
    ASSERT_EQ(service.devices.size(), 2u);
    EXPECT_EQ(service.devices[0].address, "0000:0a:00.0");
    EXPECT_EQ(service.devices[0].rom_file, dir.path() / "vbios.rom");
    EXPECT_EQ(service.devices[1].address, "0000:0a:00.1");
    EXPECT_TRUE(service.devices[1].rom_file.empty());
    EXPECT_TRUE(service.vm.uefi);
}

// ---- merge keys ----------------------------------------------------------------------------

TEST(ParseMergeKeys, ExplicitKeysOverrideMergedOnes) {
    Project project = parse_clean("x-base: &base\n  image: debian-12\n  replicas: 3\n"
                                  "services:\n  web:\n    <<: *base\n    replicas: 2\n");
    EXPECT_EQ(first_service(project).image, "debian-12");
    EXPECT_EQ(first_service(project).replicas, 2);
}

TEST(ParseMergeKeys, EarlierSourcesInAListWin) {
    Project project = parse_clean("x-a: &a {image: from-a}\nx-b: &b {image: from-b, replicas: 4}\n"
                                  "services:\n  web:\n    <<: [*a, *b]\n");
    EXPECT_EQ(first_service(project).image, "from-a");
    EXPECT_EQ(first_service(project).replicas, 4);
}

TEST(ParseMergeKeys, MergesNestedMappingsAndInlineMappings) {
    Project project = parse_clean("x-vm: &vm {vcpu: 2, memory_mb: 512}\n"
                                  "services:\n  web:\n    image: a\n    vm:\n      <<: *vm\n"
                                  "      vcpu: 4\n  db:\n    <<: {image: b}\n");
    EXPECT_EQ(first_service(project).vm.vcpu, 4);
    EXPECT_EQ(first_service(project).vm.memory_mib, 512);
    EXPECT_EQ(project.services.at(1).image, "b");
}

TEST(ParseMergeKeys, AQuotedMergeKeyIsAnOrdinaryKey) {
    ParseResult result = parse(web("    \"<<\": {replicas: 2}\n"));
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{"holos.yaml:4:5: services.web: unknown key \"<<\""});
}

// ---- warnings ------------------------------------------------------------------------------

TEST(ParseWarnings, WarnsAboutPortsOpenToOtherHostsButStillParses) {
    ParseResult result = parse(web("    ports: [\"0.0.0.0:8080-8081:80-81\"]\n"));
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->services[0].ports.size(), 2u);
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{"holos.yaml:4:13: warning: services.web.ports[0]: bound to "
                                       "0.0.0.0: the port is reachable from other hosts, not "
                                       "only this one"});
}

TEST(ParseWarnings, RestartAlwaysWithADisabledHealthcheckIsFine) {
    parse_clean(web("    restart: always\n    healthcheck: {disable: true}\n"));
}

// ---- sizes and durations -------------------------------------------------------------------

TEST(ParseSize, AcceptsEveryUnitSpellingAsBinary) {
    std::string problem;
    const std::pair<const char*, std::uint64_t> cases[] = {
        {"1024", 1024},
        {"1b", 1},
        {"512M", 512ULL << 20},
        {"20G", 20ULL << 30},
        {"1.5G", 3ULL << 29},
        {"20GiB", 20ULL << 30},
        {"10GB", 10ULL << 30},
        {"2kb", 2048},
        {"1t", 1ULL << 40},
        {"0.5K", 512},
        {"16777215T", 16777215ULL << 40},
    };
    for (const auto& [text, bytes] : cases) {
        EXPECT_EQ(parsing::parse_size(text, problem), std::optional<std::uint64_t>(bytes)) << text;
    }
}

TEST(ParseSize, RejectsWhatTheGrammarDoesNotCover) {
    for (const char* text : {"", "G", "-1G", "+1G", "1e3", "1.G", ".5G", "1 G", "1GG", "0", "0.0M",
                             "1.1B", "16777216T", "999999999999999999999"}) {
        std::string problem;
        EXPECT_FALSE(parsing::parse_size(text, problem).has_value()) << text;
        EXPECT_FALSE(problem.empty()) << text;
    }
}

TEST(ParseDuration, AddsUpItsParts) {
    std::string problem;
    const std::pair<const char*, std::int64_t> cases[] = {
        {"30s", 30'000},   {"1m30s", 90'000}, {"2m", 120'000},          {"500ms", 500},
        {"1h", 3'600'000}, {"1.5s", 1'500},   {"1h1m1s1ms", 3'661'001}, {"0s", 0},
    };
    for (const auto& [text, ms] : cases) {
        EXPECT_EQ(parsing::parse_duration(text, problem), std::optional<std::int64_t>(ms)) << text;
    }
}

TEST(ParseDuration, RejectsBareNumbersSignsAndUnknownUnits) {
    for (const char* text :
         {"", "30", "-1s", "1d", "1us", "s", "1.5", "1m30", "1.0005s", "9999999999999999999h"}) {
        std::string problem;
        EXPECT_FALSE(parsing::parse_duration(text, problem).has_value()) << text;
        EXPECT_FALSE(problem.empty()) << text;
    }
}

// ---- network -------------------------------------------------------------------------------

TEST(ParseNetwork, DefaultsToTenTenZeroSlash24) {
    Project project = parse_clean(web(""));
    EXPECT_EQ(project.network.subnet, (Ipv4Subnet{0x0a0a0000, 24}));
}

TEST(ParseNetwork, ReadsTheSubnet) {
    Project project = parse_clean("network:\n  subnet: 192.168.50.0/28\n" + web(""));
    EXPECT_EQ(project.network.subnet, (Ipv4Subnet{0xc0a83200, 28}));
}

TEST(ParseNetwork, TakesTheSubnetFromAVariable) {
    ParseResult result =
        parse_project_text("network:\n  subnet: ${NET:-172.20.0.0/16}\n" + web(""), "holos.yaml",
                           "/srv/demo/holos.yaml", Variables{{"NET", "10.9.0.0/24"}});
    ASSERT_TRUE(result.project);
    EXPECT_EQ(format_subnet(result.project->network.subnet), "10.9.0.0/24");
}

TEST(ParseNetwork, FillsAThirtyWithOneInstance) {
    Project project = parse_clean("network:\n  subnet: 10.1.2.4/30\n" + web(""));
    EXPECT_EQ(format_subnet(project.network.subnet), "10.1.2.4/30");
}

TEST(ParseNetwork, WarnsAboutAPublicRangeButUsesIt) {
    ParseResult result = parse("network:\n  subnet: 100.70.0.0/24\n" + web(""));
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{
                  "holos.yaml:2:11: warning: network.subnet: \"100.70.0.0/24\" is not a private "
                  "range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); guests cannot reach public "
                  "hosts with these addresses, using it anyway"});
    ASSERT_TRUE(result.project);
    EXPECT_EQ(format_subnet(result.project->network.subnet), "100.70.0.0/24");
}

// ---- key tables ----------------------------------------------------------------------------

TEST(ParseKeyTables, ListEveryKindOfMappingWithItsKeys) {
    std::vector<std::string> paths;
    for (const parsing::KeyTableInfo& table : parsing::key_tables()) {
        paths.push_back(table.path);
        EXPECT_FALSE(table.keys.empty()) << table.path;
    }
    EXPECT_EQ(paths, (std::vector<std::string>{"", "volumes.*", "network", "services.*",
                                               "services.*.vm", "services.*.cloud_init",
                                               "services.*.cloud_init.write_files[]",
                                               "services.*.healthcheck", "services.*.depends_on.*",
                                               "services.*.devices[]"}));
    EXPECT_EQ(parsing::key_tables()[0].keys,
              (std::vector<std::string>{"name", "services", "volumes", "network"}));
}

// The parser rejects every key that is not in its table and accepts every key that is.
TEST(ParseKeyTables, AreTheKeysTheParserAccepts) {
    for (const parsing::KeyTableInfo& table : parsing::key_tables()) {
        if (table.path != "services.*") {
            continue;
        }
        for (const std::string& key : table.keys) {
            ParseResult result = parse(web("    " + key + ": ~\n"));
            for (const std::string& line : formatted(result)) {
                EXPECT_EQ(line.find("unknown key"), std::string::npos) << key << ": " << line;
            }
        }
    }
}

} // namespace
} // namespace holos
