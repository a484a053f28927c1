// holos.yaml parsing: the model built from valid files, and the exact diagnostics (position,
// key path, message) for invalid ones.
#include "test_parse_support.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace holos {
namespace {

using testing::formatted;
using testing::InvalidCase;
using testing::kDnsRule;
using testing::parse;
using testing::TempDir;

// ---- invalid input: one table, exact diagnostics -------------------------------------------

class ParseInvalidFile : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(ParseInvalidFile, ReportsExactlyTheseDiagnostics) {
    ParseResult result = parse(GetParam().yaml);
    EXPECT_EQ(formatted(result), GetParam().expected);
    EXPECT_FALSE(result.project.has_value());
}

const InvalidCase kInvalidCases[] = {
    // File level.
    {"EmptyFile", "", {"holos.yaml: the file is empty, expected a mapping with \"services\""}},
    {"OnlyComments",
     "# nothing yet\n",
     {"holos.yaml: the file is empty, expected a mapping with \"services\""}},
    {"RootIsAList", "- web\n", {"holos.yaml:1:1: expected a mapping, got a list"}},
    {"RootIsAScalar", "hello\n", {"holos.yaml:1:1: expected a mapping, got \"hello\""}},
    {"SyntaxError",
     "services: [web\n",
     {"holos.yaml:2:1: invalid YAML: end of sequence flow not found"}},
    {"TabIndentation",
     "services:\n\tweb: {}\n",
     {"holos.yaml:2:5: invalid YAML: illegal map value (indent with spaces, not tabs)"}},
    {"TwoDocuments",
     "services: {web: {image: a}}\n---\nname: x\n",
     {"holos.yaml:2:1: expected a single YAML document, found a second one"}},
    // yaml-cpp 0.7's own LoadAll loops forever on this one.
    {"LoneComma", ",\n", {"holos.yaml:1:1: invalid YAML: unexpected \",\""}},
    {"CommaAfterAnchor", "&a ,\n", {"holos.yaml:1:4: invalid YAML: unexpected \",\""}},

    // Top level.
    {"ServicesMissing", "name: demo\n", {"holos.yaml:1:1: missing required key \"services\""}},
    {"ServicesEmpty",
     "services: {}\n",
     {"holos.yaml:1:1: services: expected at least one service"}},
    {"ServicesWithoutValue",
     "services:\n",
     {"holos.yaml:1:1: services: expected at least one service"}},
    {"ServicesIsAList",
     "services:\n  - web\n",
     {"holos.yaml:1:1: services: expected a mapping, got a list"}},
    {"UnknownTopLevelKey",
     "secrets: {}\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:1:1: unknown key \"secrets\""}},
    {"ComposeNetworksSuggestsNetwork",
     "networks: {}\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:1:1: unknown key \"networks\", did you mean \"network\"?"}},
    {"SubnetNotCidr",
     "network:\n  subnet: 10.10.0.0\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:11: network.subnet: expected a subnet as \"ADDRESS/LENGTH\", such as "
      "\"10.10.0.0/24\", got \"10.10.0.0\""}},
    {"SubnetAddressWithLeadingZeros",
     "network:\n  subnet: 10.010.0.0/24\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:11: network.subnet: expected a subnet as \"ADDRESS/LENGTH\", such as "
      "\"10.10.0.0/24\", got \"10.010.0.0/24\""}},
    {"SubnetPrefixTooLong",
     "network:\n  subnet: 10.10.0.0/31\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:11: network.subnet: expected a prefix length from /8 to /30, got "
      "\"10.10.0.0/31\""}},
    {"SubnetPrefixTooShort",
     "network:\n  subnet: 10.0.0.0/7\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:11: network.subnet: expected a prefix length from /8 to /30, got "
      "\"10.0.0.0/7\""}},
    {"SubnetWithHostBits",
     "network:\n  subnet: 10.10.0.1/24\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:11: network.subnet: \"10.10.0.1/24\" has host bits set; the subnet is "
      "\"10.10.0.0/24\""}},
    {"SubnetOverlapsTheUserNetwork",
     "network:\n  subnet: 10.0.0.0/16\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:11: network.subnet: \"10.0.0.0/16\" overlaps 10.0.2.0/24, the guests' "
      "user-mode network (outbound traffic and port forwards)"}},
    {"SubnetIsLoopback",
     "network:\n  subnet: 127.1.0.0/16\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:11: network.subnet: \"127.1.0.0/16\" overlaps 127.0.0.0/8 (loopback), "
      "which guests cannot use"}},
    {"SubnetIsMulticast",
     "network:\n  subnet: 239.1.0.0/16\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:11: network.subnet: \"239.1.0.0/16\" overlaps 224.0.0.0/3 (multicast and "
      "reserved), which guests cannot use"}},
    {"SubnetTooSmallForTheInstances",
     "network:\n  subnet: 10.10.0.0/29\nservices:\n  web:\n    image: a\n    replicas: 6\n",
     {"holos.yaml:2:11: network.subnet: the project has 6 instances, but subnet "
      "\"10.10.0.0/29\" has addresses for 5"}},
    {"DefaultSubnetTooSmallForTheInstances",
     "x-r: &r\n  image: a\n  replicas: 64\nservices:\n  a: *r\n  b: *r\n  c: *r\n  d: *r\n",
     {"holos.yaml:1:1: the project has 256 instances, but subnet \"10.10.0.0/24\" has "
      "addresses for 253; set network.subnet"}},
    {"NetworkUnknownKey",
     "network:\n  subnets: 10.10.0.0/24\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:3: network: unknown key \"subnets\", did you mean \"subnet\"?"}},
    {"NetworkNotAMapping",
     "network: 10.10.0.0/24\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:1:10: network: expected a mapping, got \"10.10.0.0/24\""}},
    {"MisspelledTopLevelKeySuggestsFix",
     "service:\n  web:\n    image: a\n",
     {"holos.yaml:1:1: unknown key \"service\", did you mean \"services\"?",
      "holos.yaml:1:1: missing required key \"services\""}},
    {"ProjectNameNotADnsLabel",
     "name: My_Project\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:1:7: name: expected a DNS label " + kDnsRule + ", got \"My_Project\""}},
    {"ProjectNameIsABoolean",
     "name: no\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:1:7: name: \"no\" is a boolean in YAML 1.1, quote it to use it as a string"}},

    // Services.
    {"ServiceNameNotADnsLabel",
     "services:\n  Web_1:\n    image: a\n",
     {"holos.yaml:2:3: services: service name \"Web_1\" is not a DNS label " + kDnsRule}},
    {"ServiceNameEndsWithHyphen",
     "services:\n  web-:\n    image: a\n",
     {"holos.yaml:2:3: services: service name \"web-\" is not a DNS label " + kDnsRule}},
    {"DuplicateService",
     "services:\n  web:\n    image: a\n  web:\n    image: b\n",
     {"holos.yaml:4:3: services: duplicate key \"web\", first on line 2"}},
    {"DuplicateServiceKey",
     "services:\n  web:\n    image: a\n    image: b\n",
     {"holos.yaml:4:5: services.web: duplicate key \"image\", first on line 3"}},
    {"MisspelledServiceKeySuggestsFix",
     "services:\n  web:\n    imagee: debian-12\n",
     {"holos.yaml:3:5: services.web: unknown key \"imagee\", did you mean \"image\"?",
      "holos.yaml:2:3: services.web: expected \"image\" or \"dockerfile\" to say what to boot"}},
    {"ServiceWithoutValue",
     "services:\n  web:\n",
     {"holos.yaml:2:3: services.web: expected \"image\" or \"dockerfile\" to say what to boot"}},
    {"ServiceIsAScalar",
     "services:\n  web: debian\n",
     {"holos.yaml:2:8: services.web: expected a mapping, got \"debian\""}},
    {"KeyIsAList",
     "services:\n  web:\n    image: a\n    ? [b]\n    : c\n",
     {"holos.yaml:4:7: services.web: expected a string key, got a list"}},
    {"ImageIsAMapping",
     "services:\n  web:\n    image:\n      name: a\n",
     {"holos.yaml:3:5: services.web.image: expected a string, got a mapping"}},
    {"ImageIsEmpty",
     "services:\n  web:\n    image: \"\"\n",
     {"holos.yaml:3:12: services.web.image: must not be empty"}},
    {"ImageWithoutValue",
     "services:\n  web:\n    image:\n",
     {"holos.yaml:3:5: services.web.image: expected a string, got an empty value"}},
    {"ImageIsABoolean",
     "services:\n  web:\n    image: yes\n",
     {"holos.yaml:3:12: services.web.image: \"yes\" is a boolean in YAML 1.1, quote it to use "
      "it as a string"}},

    // Integers.
    {"ReplicasZero",
     "services:\n  web:\n    image: a\n    replicas: 0\n",
     {"holos.yaml:4:15: services.web.replicas: expected an integer between 1 and 64, got \"0\""}},
    {"ReplicasAboveMaximum",
     "services:\n  web:\n    image: a\n    replicas: 65\n",
     {"holos.yaml:4:15: services.web.replicas: expected an integer between 1 and 64, got "
      "\"65\""}},
    {"ReplicasNegative",
     "services:\n  web:\n    image: a\n    replicas: -1\n",
     {"holos.yaml:4:15: services.web.replicas: expected an integer between 1 and 64, got "
      "\"-1\""}},
    {"ReplicasWithExponent",
     "services:\n  web:\n    image: a\n    replicas: 1e1\n",
     {"holos.yaml:4:15: services.web.replicas: expected an integer between 1 and 64, got "
      "\"1e1\""}},
    {"ReplicasWithTrailingText",
     "services:\n  web:\n    image: a\n    replicas: 12abc\n",
     {"holos.yaml:4:15: services.web.replicas: expected an integer between 1 and 64, got "
      "\"12abc\""}},
    {"ReplicasOverflowingInt64",
     "services:\n  web:\n    image: a\n    replicas: 99999999999999999999\n",
     {"holos.yaml:4:15: services.web.replicas: expected an integer between 1 and 64, got "
      "\"99999999999999999999\""}},
    {"ReplicasWithLeadingZero",
     "services:\n  web:\n    image: a\n    replicas: 010\n",
     {"holos.yaml:4:15: services.web.replicas: expected an integer between 1 and 64, got "
      "\"010\""}},
    {"ReplicasQuoted",
     "services:\n  web:\n    image: a\n    replicas: \"2\"\n",
     {"holos.yaml:4:15: services.web.replicas: expected an integer between 1 and 64, got the "
      "quoted string \"2\", remove the quotes"}},
    {"ReplicasIsAList",
     "services:\n  web:\n    image: a\n    replicas: [2]\n",
     {"holos.yaml:4:5: services.web.replicas: expected an integer between 1 and 64, got a "
      "list"}},

    // Ports.
    {"PortsIsAString",
     "services:\n  web:\n    image: a\n    ports: \"8080:80\"\n",
     {"holos.yaml:4:12: services.web.ports: expected a list, got \"8080:80\""}},
    {"PortWithTooManyParts",
     "services:\n  web:\n    image: a\n    ports: [\"8080:80:90:1\"]\n",
     {"holos.yaml:4:13: services.web.ports[0]: expected \"[IP:][HOST:]GUEST[/tcp|/udp]\" with "
      "ports or ranges like \"8080-8081:80-81\", got \"8080:80:90:1\""}},
    {"GuestPortAbove65535",
     "services:\n  web:\n    image: a\n    ports:\n      - 8080:65536\n",
     {"holos.yaml:5:9: services.web.ports[0]: expected a guest port between 1 and 65535 or a "
      "range like \"8080-8081\", got \"65536\""}},
    {"HostPortZero",
     "services:\n  web:\n    image: a\n    ports:\n      - 0:80\n",
     {"holos.yaml:5:9: services.web.ports[0]: expected a host port between 1 and 65535 or a "
      "range like \"8080-8081\", got \"0\""}},
    {"HostPortNotANumber",
     "services:\n  web:\n    image: a\n    ports:\n      - http:80\n",
     {"holos.yaml:5:9: services.web.ports[0]: expected a host port between 1 and 65535 or a "
      "range like \"8080-8081\", got \"http\""}},
    {"UnknownProtocol",
     "services:\n  web:\n    image: a\n    ports:\n      - 80:80/sctp\n",
     {"holos.yaml:5:9: services.web.ports[0]: unknown protocol \"sctp\", expected \"tcp\" or "
      "\"udp\""}},
    {"HostIpNotAnAddress",
     "services:\n  web:\n    image: a\n    ports:\n      - localhost:80:80\n",
     {"holos.yaml:5:9: services.web.ports[0]: expected an IPv4 host address (IPv6 is not "
      "supported), got \"localhost\""}},
    {"HostIpOctetAbove255",
     "services:\n  web:\n    image: a\n    ports:\n      - 10.0.0.256:80:80\n",
     {"holos.yaml:5:9: services.web.ports[0]: expected an IPv4 host address (IPv6 is not "
      "supported), got \"10.0.0.256\""}},
    {"LastReplicaPastPort65535",
     "services:\n  web:\n    image: a\n    replicas: 3\n    ports:\n      - 65534:80\n",
     {"holos.yaml:6:9: services.web.ports[0]: host port 65534 with 3 replicas needs ports up to "
      "65536, above 65535"}},
    {"ReplicaHostPortClashesWithOtherService",
     "services:\n  web:\n    image: a\n    replicas: 2\n    ports: [\"8079:80\"]\n"
     "  api:\n    image: a\n    ports: [\"8080:80\"]\n",
     {"holos.yaml:8:13: services.api.ports[0]: host port 8080 is used by both web-1 and api-0"}},
    {"SameHostPortTwiceInOneService",
     "services:\n  web:\n    image: a\n    ports: [\"8080:80\", \"8080:81\"]\n",
     {"holos.yaml:4:24: services.web.ports[1]: host port 8080 is used twice by web-0"}},
    {"WildcardAddressClashesWithLoopback",
     "services:\n  web:\n    image: a\n    ports: [\"0.0.0.0:8080:80\"]\n"
     "  api:\n    image: a\n    ports: [\"8080:80\"]\n",
     {"holos.yaml:4:13: warning: services.web.ports[0]: bound to 0.0.0.0: the port is reachable "
      "from other hosts, not only this one",
      "holos.yaml:7:13: services.api.ports[0]: host port 8080 is used by both web-0 and api-0"}},

    // vm.
    {"VmIsAScalar",
     "services:\n  web:\n    image: a\n    vm: big\n",
     {"holos.yaml:4:9: services.web.vm: expected a mapping, got \"big\""}},
    {"VcpuAbove64",
     "services:\n  web:\n    image: a\n    vm:\n      vcpu: 65\n",
     {"holos.yaml:5:13: services.web.vm.vcpu: expected an integer between 1 and 64, got "
      "\"65\""}},
    {"MemoryBelow64",
     "services:\n  web:\n    image: a\n    vm: {memory_mb: 63}\n",
     {"holos.yaml:4:21: services.web.vm.memory_mb: expected an integer between 64 and 1048576, "
      "got \"63\""}},
    {"MemoryKeyMisspelledSuggestsFix",
     "services:\n  web:\n    image: a\n    vm: {memory_mib: 512}\n",
     {"holos.yaml:4:10: services.web.vm: unknown key \"memory_mib\", did you mean "
      "\"memory_mb\"?"}},

    // cloud_init.
    {"UserWithUppercase",
     "services:\n  web:\n    image: a\n    cloud_init:\n      user: Admin\n",
     {"holos.yaml:5:13: services.web.cloud_init.user: expected a user name (lowercase letters, "
      "digits, \"_\" and \"-\", starting with a letter or \"_\", at most 32 characters), got "
      "\"Admin\""}},
    {"PackageIsAList",
     "services:\n  web:\n    image: a\n    cloud_init:\n      packages: [curl, [vim]]\n",
     {"holos.yaml:5:24: services.web.cloud_init.packages[1]: expected a string, got a list"}},
    {"RuncmdEntryIsABoolean",
     "services:\n  web:\n    image: a\n    cloud_init:\n      runcmd:\n        - on\n",
     {"holos.yaml:6:11: services.web.cloud_init.runcmd[0]: \"on\" is a boolean in YAML 1.1, "
      "quote it to use it as a string"}},
    {"WriteFileIsAString",
     "services:\n  web:\n    image: a\n    cloud_init:\n      write_files:\n        - /etc/motd\n",
     {"holos.yaml:6:11: services.web.cloud_init.write_files[0]: expected a mapping, got "
      "\"/etc/motd\""}},
    {"WriteFileWithoutPath",
     "services:\n  web:\n    image: a\n    cloud_init:\n      write_files:\n"
     "        - content: hi\n",
     {"holos.yaml:6:11: services.web.cloud_init.write_files[0]: missing required key \"path\""}},
    {"WriteFileWithRelativePath",
     "services:\n  web:\n    image: a\n    cloud_init:\n      write_files:\n"
     "        - path: /etc/a\n        - path: etc/motd\n",
     {"holos.yaml:7:17: services.web.cloud_init.write_files[1].path: expected an absolute path, "
      "got \"etc/motd\""}},
    {"PermissionsUnquotedWithLeadingZero",
     "services:\n  web:\n    image: a\n    cloud_init:\n      write_files:\n"
     "        - path: /etc/motd\n          permissions: 0644\n",
     {"holos.yaml:7:24: services.web.cloud_init.write_files[0].permissions: expected a quoted "
      "string, YAML reads unquoted digits as a number: write \"0644\""}},
    {"PermissionsUnquoted",
     "services:\n  web:\n    image: a\n    cloud_init:\n      write_files:\n"
     "        - path: /etc/motd\n          permissions: 600\n",
     {"holos.yaml:7:24: services.web.cloud_init.write_files[0].permissions: expected a quoted "
      "string, YAML reads unquoted digits as a number: write \"600\""}},
    {"PermissionsNotOctal",
     "services:\n  web:\n    image: a\n    cloud_init:\n      write_files:\n"
     "        - path: /etc/motd\n          permissions: \"0985\"\n",
     {"holos.yaml:7:24: services.web.cloud_init.write_files[0].permissions: expected 3 or 4 "
      "octal digits like \"0644\", got \"0985\""}},
    {"CloudInitUnknownKeySuggestsFix",
     "services:\n  web:\n    image: a\n    cloud_init:\n      run_cmd: [ls]\n",
     {"holos.yaml:5:7: services.web.cloud_init: unknown key \"run_cmd\", did you mean "
      "\"runcmd\"?"}},
};

INSTANTIATE_TEST_SUITE_P(Cases, ParseInvalidFile, ::testing::ValuesIn(kInvalidCases),
                         testing::case_name);

// ---- valid files: the model --------------------------------------------------------------

constexpr const char* kFullFile = R"(name: shop
x-notes: anything goes here
services:
  web:
    image: debian-12
    replicas: 2
    ports:
      - "8080:80"
      - 0.0.0.0:8443:443/tcp
    vm:
      vcpu: 2
      memory_mb: 2048
    cloud_init:
      user: admin
      packages: [nginx, curl]
      write_files:
        - path: /etc/nginx/conf.d/shop.conf
          content: |
            server { listen 80; }
          permissions: "0600"
        - path: /etc/motd
      runcmd:
        - systemctl enable --now nginx
        - "echo yes"
  db:
    image: "postgres:16"
)";

std::vector<std::string> shell_lines(const std::vector<Command>& commands) {
    std::vector<std::string> lines;
    for (const Command& command : commands) {
        lines.push_back(command.shell);
    }
    return lines;
}

TEST(ParseValidFile, ReportsOnlyTheWildcardAddressWarning) {
    ParseResult result = parse(kFullFile);
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{"holos.yaml:9:9: warning: services.web.ports[1]: bound to "
                                       "0.0.0.0: the port is reachable from other hosts, not "
                                       "only this one"});
    ASSERT_TRUE(result.project.has_value());
}

TEST(ParseValidFile, FillsProjectAndServicesInFileOrder) {
    ParseResult result = parse(kFullFile);
    ASSERT_TRUE(result.project.has_value());
    const Project& project = *result.project;
    EXPECT_EQ(project.name, "shop");
    EXPECT_EQ(project.source_file, "/srv/demo/holos.yaml");
    EXPECT_EQ(project.base_dir, "/srv/demo");
    ASSERT_EQ(project.services.size(), 2u);
    EXPECT_EQ(project.services[0].name, "web");
    EXPECT_EQ(project.services[0].image, "debian-12");
    EXPECT_EQ(project.services[0].replicas, 2);
    EXPECT_EQ(project.services[1].name, "db");
    EXPECT_EQ(project.services[1].image, "postgres:16");
}

TEST(ParseValidFile, FillsPortMappings) {
    ParseResult result = parse(kFullFile);
    ASSERT_TRUE(result.project.has_value());
    const std::vector<PortMapping>& ports = result.project->services[0].ports;
    ASSERT_EQ(ports.size(), 2u);
    EXPECT_EQ(ports[0].host_ip, "127.0.0.1");
    EXPECT_EQ(ports[0].host_port, 8080);
    EXPECT_EQ(ports[0].guest_port, 80);
    EXPECT_EQ(ports[0].protocol, "tcp");
    EXPECT_EQ(ports[1].host_ip, "0.0.0.0");
    EXPECT_EQ(ports[1].host_port, 8443);
    EXPECT_EQ(ports[1].guest_port, 443);
    EXPECT_EQ(ports[1].protocol, "tcp");
}

TEST(ParseValidFile, FillsVmSpec) {
    ParseResult result = parse(kFullFile);
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->services[0].vm.vcpu, 2);
    EXPECT_EQ(result.project->services[0].vm.memory_mib, 2048);
}

TEST(ParseValidFile, FillsCloudInit) {
    ParseResult result = parse(kFullFile);
    ASSERT_TRUE(result.project.has_value());
    const CloudInit& cloud_init = result.project->services[0].cloud_init;
    EXPECT_EQ(cloud_init.user, "admin");
    EXPECT_EQ(cloud_init.packages, (std::vector<std::string>{"nginx", "curl"}));
    ASSERT_EQ(cloud_init.write_files.size(), 2u);
    EXPECT_EQ(cloud_init.write_files[0].path, "/etc/nginx/conf.d/shop.conf");
    EXPECT_EQ(cloud_init.write_files[0].content, "server { listen 80; }\n");
    EXPECT_EQ(cloud_init.write_files[0].permissions, "0600");
    EXPECT_EQ(shell_lines(cloud_init.runcmd),
              (std::vector<std::string>{"systemctl enable --now nginx", "echo yes"}));
}

TEST(ParseValidFile, AppliesDefaultsForOmittedFields) {
    ParseResult result = parse(kFullFile);
    ASSERT_TRUE(result.project.has_value());
    const Service& db = result.project->services[1];
    EXPECT_EQ(db.replicas, 1);
    EXPECT_TRUE(db.ports.empty());
    EXPECT_EQ(db.vm.vcpu, kDefaultVcpu);
    EXPECT_EQ(db.vm.memory_mib, kDefaultMemoryMiB);
    EXPECT_EQ(db.cloud_init.user, "");
    const WriteFile& motd = result.project->services[0].cloud_init.write_files[1];
    EXPECT_EQ(motd.content, "");
    EXPECT_EQ(motd.permissions, "0644");
}

TEST(ParseValidFile, NormalizesThreeDigitPermissionsToFour) {
    ParseResult result = parse("services:\n  web:\n    image: a\n    cloud_init:\n"
                               "      write_files: [{path: /x, permissions: \"755\"}]\n");
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->services[0].cloud_init.write_files[0].permissions, "0755");
}

TEST(ParseValidFile, AcceptsEmptyVmAndCloudInitAsDefaults) {
    ParseResult result = parse("services:\n  web:\n    image: a\n    vm:\n    cloud_init:\n"
                               "    ports:\n");
    EXPECT_EQ(formatted(result), std::vector<std::string>{});
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->services[0].vm.vcpu, kDefaultVcpu);
}

TEST(ParseValidFile, AcceptsServicesBuiltFromExtensionAnchors) {
    ParseResult result = parse("x-base: &base\n  image: debian-12\n  replicas: 3\n"
                               "services:\n  web: *base\n  worker: *base\n");
    EXPECT_EQ(formatted(result), std::vector<std::string>{});
    ASSERT_TRUE(result.project.has_value());
    ASSERT_EQ(result.project->services.size(), 2u);
    EXPECT_EQ(result.project->services[1].name, "worker");
    EXPECT_EQ(result.project->services[1].replicas, 3);
}

TEST(ParseValidFile, AllowsTheSamePortOnDifferentHostAddresses) {
    ParseResult result = parse("services:\n  web:\n    image: a\n"
                               "    ports: [\"127.0.0.1:8080:80\", \"127.0.0.2:8080:80\"]\n");
    EXPECT_EQ(formatted(result), std::vector<std::string>{});
}

TEST(ParseValidFile, AllowsAdjacentReplicaPortRanges) {
    ParseResult result = parse("services:\n  web:\n    image: a\n    replicas: 2\n"
                               "    ports: [\"8080:80\"]\n  api:\n    image: a\n"
                               "    ports: [\"8082:80\"]\n");
    EXPECT_EQ(formatted(result), std::vector<std::string>{});
}

TEST(ParseValidFile, AcceptsTheLastReplicaOnPort65535) {
    ParseResult result = parse("services:\n  web:\n    image: a\n    replicas: 2\n"
                               "    ports: [\"65534:80\"]\n");
    EXPECT_EQ(formatted(result), std::vector<std::string>{});
}

// ---- project name --------------------------------------------------------------------------

TEST(ParseProjectName, DefaultsToTheDirectoryName) {
    ParseResult result = parse("services:\n  web:\n    image: a\n", "/home/ann/shop-2/holos.yaml");
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->name, "shop-2");
}

TEST(ParseProjectName, PrefersTheNameInTheFile) {
    ParseResult result =
        parse("name: store\nservices:\n  web:\n    image: a\n", "/home/ann/shop/holos.yaml");
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->name, "store");
}

TEST(ParseProjectName, RejectsADirectoryNameThatIsNotADnsLabel) {
    ParseResult result = parse("services:\n  web:\n    image: a\n", "/home/ann/My_Shop/holos.yaml");
    std::string expected = "holos.yaml: the directory name \"My_Shop\" is not a valid project "
                           "name " +
                           kDnsRule + ", set \"name\" in the file";
    EXPECT_EQ(formatted(result), std::vector<std::string>{expected});
    EXPECT_FALSE(result.project.has_value());
}

// ---- several errors ------------------------------------------------------------------------

TEST(ParseDiagnostics, ReportsEveryErrorInTheFile) {
    ParseResult result = parse(R"(name: Shop
services:
  web:
    imagee: debian-12
    replicas: 0
    ports: ["8080:80/udp", "99999:80"]
    vm: {vcpu: 0, memory_mb: 32}
  Api:
    image: ""
    cloud_init:
      write_files:
        - path: motd
          permissions: 644
)");
    EXPECT_EQ(
        formatted(result),
        (std::vector<std::string>{
            "holos.yaml:1:7: name: expected a DNS label " + kDnsRule + ", got \"Shop\"",
            "holos.yaml:4:5: services.web: unknown key \"imagee\", did you mean \"image\"?",
            "holos.yaml:5:15: services.web.replicas: expected an integer between 1 and 64, got "
            "\"0\"",
            "holos.yaml:6:28: services.web.ports[1]: expected a host port between 1 and 65535 "
            "or a range like \"8080-8081\", got \"99999\"",
            "holos.yaml:7:16: services.web.vm.vcpu: expected an integer between 1 and 64, got "
            "\"0\"",
            "holos.yaml:7:30: services.web.vm.memory_mb: expected an integer between 64 and "
            "1048576, got \"32\"",
            "holos.yaml:3:3: services.web: expected \"image\" or \"dockerfile\" to say what "
            "to boot",
            "holos.yaml:8:3: services: service name \"Api\" is not a DNS label " + kDnsRule,
            "holos.yaml:9:12: services.Api.image: must not be empty",
            "holos.yaml:12:17: services.Api.cloud_init.write_files[0].path: expected an absolute "
            "path, got \"motd\"",
            "holos.yaml:13:24: services.Api.cloud_init.write_files[0].permissions: expected a "
            "quoted string, YAML reads unquoted digits as a number: write \"644\"",
        }));
    EXPECT_FALSE(result.project.has_value());
}

// Every prefix of a valid file is some kind of broken file; none may throw or crash.
TEST(ParseDiagnostics, NeverThrowsOnTruncatedInput) {
    std::string text = kFullFile;
    for (std::size_t length = 0; length <= text.size(); ++length) {
        EXPECT_NO_THROW(parse(text.substr(0, length))) << "prefix length " << length;
    }
}

TEST(ParseDiagnostics, NeverThrowsOnOddYaml) {
    const char* inputs[] = {
        "*unknown_alias",
        "!!binary aGk=",
        "services: !!map {web: {image: a}}",
        "? : :",
        "services: {web: {image: [a, {b: c}]}}",
        "{{{{",
        "- - - -",
        "\"unterminated",
        "services:\n  ~:\n    image: a\n",
        "services:\n  web:\n    image: a\n    ~: x\n",
    };
    for (const char* input : inputs) {
        EXPECT_NO_THROW(parse(input)) << input;
    }
}

// ---- parse_project_file --------------------------------------------------------------------

TEST(ParseProjectFile, ReportsAMissingFileAsOneDiagnostic) {
    TempDir dir("missing");
    std::filesystem::path file = dir.path() / "holos.yaml";
    ParseResult result = parse_project_file(file);
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{file.string() +
                                       ": cannot read the file: No such file or directory"});
    EXPECT_FALSE(result.project.has_value());
}

TEST(ParseProjectFile, ReportsADirectoryAsUnreadable) {
    TempDir dir("directory");
    ParseResult result = parse_project_file(dir.path());
    EXPECT_EQ(
        formatted(result),
        std::vector<std::string>{dir.path().string() + ": cannot read the file: Is a directory"});
}

TEST(ParseProjectFile, NamesTheProjectAfterTheFilesDirectory) {
    TempDir dir("shop");
    std::filesystem::path file = dir.write("holos.yaml", "services:\n  web:\n    image: a\n");
    ParseResult result = parse_project_file(file);
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->name, "shop");
    EXPECT_EQ(result.project->source_file, std::filesystem::absolute(file));
    EXPECT_EQ(result.project->base_dir, std::filesystem::absolute(dir.path()));
}

TEST(ParseProjectFile, ShowsTheFileNameAsGivenAndStoresAnAbsolutePath) {
    TempDir dir("cart");
    dir.write("holos.yaml", "services:\n  web:\n    image: [a]\n");
    std::filesystem::path saved = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    ParseResult broken = parse_project_file("./holos.yaml");
    dir.write("holos.yaml", "services:\n  web:\n    image: a\n");
    ParseResult fixed = parse_project_file("./holos.yaml");
    std::filesystem::current_path(saved);

    EXPECT_EQ(formatted(broken), std::vector<std::string>{"./holos.yaml:3:5: services.web.image: "
                                                          "expected a string, got a list"});
    ASSERT_TRUE(fixed.project.has_value());
    EXPECT_EQ(fixed.project->name, "cart");
    EXPECT_EQ(fixed.project->source_file, dir.path() / "holos.yaml");
}

} // namespace
} // namespace holos
