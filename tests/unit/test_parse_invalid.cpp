// holos.yaml rejections, field by field: every rule of the format has a case here with the
// exact position, key path and message it reports. Files referenced by path are looked up
// under /srv/demo, where none exists.
#include "test_parse_support.hpp"

#include <string>
#include <vector>

namespace holos {
namespace {

using testing::formatted;
using testing::InvalidCase;
using testing::kDnsRule;
using testing::parse;

// A file with one service "web" of image "a"; `body` continues the service from line 4.
std::string web(const std::string& body) {
    return "services:\n  web:\n    image: a\n" + body;
}

// Two services: "web" (body from line 4) and "db" after it.
std::string web_and_db(const std::string& web_body, const std::string& db_body) {
    return web(web_body) + "  db:\n    image: a\n" + db_body;
}

std::string size_error(const std::string& where, const std::string& value) {
    return "holos.yaml:" + where +
           ": expected a size: a number with an optional unit B, K, M, G "
           "or T (KiB, MB etc. also accepted, all powers of 1024), like \"20G\" or \"1.5G\", got "
           "\"" +
           value + "\"";
}

std::string duration_error(const std::string& where, const std::string& value) {
    return "holos.yaml:" + where +
           ": expected a duration like \"30s\", \"1m30s\" or \"500ms\" "
           "(units ms, s, m, h), got \"" +
           value + "\"";
}

const std::string kRestartChoices =
    "expected one of \"no\", \"always\", \"on-failure\", \"unless-stopped\", got ";

class ParseRejects : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(ParseRejects, WithExactlyTheseDiagnostics) {
    ParseResult result = parse(GetParam().yaml);
    EXPECT_EQ(formatted(result), GetParam().expected);
    EXPECT_FALSE(result.project.has_value());
}

const InvalidCase kCases[] = {
    // Merge keys and aliases.
    {"MergeOfAScalar",
     "x-a: &a 5\nservices:\n  web:\n    <<: *a\n    image: a\n",
     {"holos.yaml:4:5: services.web.<<: a merge key needs a mapping or a list of mappings, like "
      "\"<<: *base\" or \"<<: [*a, *b]\""}},
    {"MergeListWithAScalar",
     "x-a: &a {replicas: 2}\nservices:\n  web:\n    <<: [*a, b]\n    image: a\n",
     {"holos.yaml:4:5: services.web.<<: a merge key needs a mapping or a list of mappings, like "
      "\"<<: *base\" or \"<<: [*a, *b]\""}},
    {"MergedKeyStillChecked",
     "x-a: &a {replicas: 0}\nservices:\n  web:\n    <<: *a\n    image: a\n",
     {"holos.yaml:1:20: services.web.replicas: expected an integer between 1 and 64, got "
      "\"0\""}},
    {"SelfReferencingAnchor",
     "x-a: &a [*a]\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:1:6: the file nests or repeats aliases too deeply (more than 64 levels or "
      "20000 values)"}},

    // Top-level volumes and sizes.
    {"VolumesIsAList",
     "volumes: [data]\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:1:1: volumes: expected a mapping, got a list"}},
    {"VolumeNameNotADnsLabel",
     "volumes:\n  Data:\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:3: volumes: volume name \"Data\" is not a DNS label " + kDnsRule}},
    {"DuplicateVolume",
     "volumes:\n  data:\n  data:\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:3:3: volumes: duplicate key \"data\", first on line 2"}},
    {"VolumeUnknownKeySuggestsFix",
     "volumes:\n  data: {sise: 1G}\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:10: volumes.data: unknown key \"sise\", did you mean \"size\"?"}},
    {"VolumeSizeZero",
     "volumes:\n  data: {size: 0}\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:16: volumes.data.size: size \"0\" must not be zero"}},
    {"VolumeSizeNegative",
     "volumes:\n  data: {size: -1G}\nservices:\n  web:\n    image: a\n",
     {size_error("2:16: volumes.data.size", "-1G")}},
    {"VolumeSizeWithExponent",
     "volumes:\n  data: {size: 1e400}\nservices:\n  web:\n    image: a\n",
     {size_error("2:16: volumes.data.size", "1e400")}},
    {"VolumeSizeUnknownUnit",
     "volumes:\n  data: {size: 12X}\nservices:\n  web:\n    image: a\n",
     {size_error("2:16: volumes.data.size", "12X")}},
    {"VolumeSizeWithSpace",
     "volumes:\n  data: {size: \"20 G\"}\nservices:\n  web:\n    image: a\n",
     {size_error("2:16: volumes.data.size", "20 G")}},
    {"VolumeSizeTooManyDigits",
     "volumes:\n  data: {size: 123456789012345678901}\nservices:\n  web:\n    image: a\n",
     {size_error("2:16: volumes.data.size", "123456789012345678901")}},
    {"VolumeSizeNotWholeBytes",
     "volumes:\n  data: {size: 1.5B}\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:16: volumes.data.size: size \"1.5B\" is not a whole number of bytes"}},
    {"VolumeSizeOverflow",
     "volumes:\n  data: {size: 16777216T}\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:16: volumes.data.size: size \"16777216T\" is too large"}},
    {"VolumeSizeIsAList",
     "volumes:\n  data: {size: [1]}\nservices:\n  web:\n    image: a\n",
     {"holos.yaml:2:10: volumes.data.size: expected a size: a number with an optional unit B, "
      "K, M, G or T (KiB, MB etc. also accepted, all powers of 1024), like \"20G\" or \"1.5G\", "
      "got a list"}},

    // Images and Dockerfiles.
    {"ImageFormatUnknown",
     web("    image_format: vmdk\n"),
     {"holos.yaml:4:19: services.web.image_format: expected \"qcow2\" or \"raw\", got "
      "\"vmdk\""}},
    {"ImagePathMissing",
     "services:\n  web:\n    image: ./disk.qcow2\n",
     {"holos.yaml:3:12: services.web.image: file \"./disk.qcow2\" does not exist (looked for "
      "\"/srv/demo/disk.qcow2\")"}},
    {"ImagePathWithTilde",
     "services:\n  web:\n    image: ~/disk.qcow2\n",
     {"holos.yaml:3:12: services.web.image: \"~/disk.qcow2\": \"~\" is not expanded, write the "
      "path relative to the compose file or absolute"}},
    {"ImageNameWithCapitals",
     "services:\n  web:\n    image: Debian:12\n",
     {"holos.yaml:3:12: services.web.image: \"Debian:12\" is not an image name (the name must "
      "start with a lowercase letter or a digit); expected NAME[:TAG], or a path with a \"/\""}},
    {"ImageTagWithASpace",
     "services:\n  web:\n    image: \"debian:12 x\"\n",
     {"holos.yaml:3:12: services.web.image: \"debian:12 x\" is not an image name (the tag may "
      "only have letters, digits, \".\", \"_\" and \"-\"); expected NAME[:TAG], or a path "
      "with a \"/\""}},
    {"DockerfileMissing",
     "services:\n  web:\n    dockerfile: Dockerfile\n",
     {"holos.yaml:3:17: services.web.dockerfile: file \"Dockerfile\" does not exist (looked for "
      "\"/srv/demo/Dockerfile\")"}},
    {"NeitherImageNorDockerfile",
     "services:\n  web:\n    replicas: 2\n",
     {"holos.yaml:2:3: services.web: expected \"image\" or \"dockerfile\" to say what to boot"}},
    {"ImageFormatIsABoolean",
     web("    image_format: no\n"),
     {"holos.yaml:4:19: services.web.image_format: \"no\" is a boolean in YAML 1.1, quote it to "
      "use it as a string"}},

    // Ports.
    {"PortLongForm",
     web("    ports:\n      - target: 80\n"),
     {"holos.yaml:5:9: services.web.ports[0]: the long form of a port is not supported, write "
      "\"HOST:GUEST\""}},
    {"PortReadAsBase60",
     web("    ports:\n      - 2222:22\n"),
     {"holos.yaml:5:9: services.web.ports[0]: unquoted \"2222:22\" is a base-60 number in YAML "
      "1.1, put the port mapping in quotes"}},
    {"PortWithIpReadAsBase60",
     web("    ports:\n      - 1:2:3\n"),
     {"holos.yaml:5:9: services.web.ports[0]: unquoted \"1:2:3\" is a base-60 number in YAML "
      "1.1, put the port mapping in quotes"}},
    {"PortRangesOfDifferentLength",
     web("    ports: [\"8080-8082:80-81\"]\n"),
     {"holos.yaml:4:13: services.web.ports[0]: the host and guest ranges of \"8080-8082:80-81\" "
      "differ in length"}},
    {"PortRangeReversed",
     web("    ports: [\"8081-8080:80-81\"]\n"),
     {"holos.yaml:4:13: services.web.ports[0]: the host range \"8081-8080\" ends before it "
      "starts"}},
    {"PortRangeTooLong",
     web("    ports: [\"1000-1100\"]\n"),
     {"holos.yaml:4:13: services.web.ports[0]: the guest range \"1000-1100\" has more than 100 "
      "ports"}},
    {"PortRangeOpen",
     web("    ports: [\"8080-:80\"]\n"),
     {"holos.yaml:4:13: services.web.ports[0]: expected a host port between 1 and 65535 or a "
      "range like \"8080-8081\", got \"8080-\""}},
    {"PortWithIpv6Address",
     web("    ports: [\"[::1]:8080:80\"]\n"),
     {"holos.yaml:4:13: services.web.ports[0]: only IPv4 host addresses are supported, got "
      "\"[::1]:8080:80\""}},
    {"PortIsABoolean",
     web("    ports: [on]\n"),
     {"holos.yaml:4:13: services.web.ports[0]: \"on\" is a boolean in YAML 1.1, quote it to "
      "use it as a string"}},
    {"UdpHostPortClash",
     web_and_db("    ports: [\"5353:53/udp\"]\n", "    ports: [\"5353:53/udp\"]\n"),
     {"holos.yaml:7:13: services.db.ports[0]: host port 5353/udp is used by both web-0 and "
      "db-0"}},
    {"RangeHostPortClash",
     web_and_db("    ports: [\"8080-8081:80-81\"]\n", "    ports: [\"8081:80\"]\n"),
     {"holos.yaml:7:13: services.db.ports[0]: host port 8081 is used by both web-0 and db-0"}},

    // Service volumes.
    {"MountWithoutTarget",
     web("    volumes: [data]\n"),
     {"holos.yaml:4:15: services.web.volumes[0]: expected \"SOURCE:TARGET\" or "
      "\"SOURCE:TARGET:ro\", got \"data\""}},
    {"MountWithRelativeTarget",
     web("    volumes: [\"data:var/lib\"]\n"),
     {"holos.yaml:4:15: services.web.volumes[0]: expected an absolute target path in the guest, "
      "got \"var/lib\""}},
    {"MountOverTheGuestsSystem",
     web("    volumes: [\"data:/proc\", \"./:/\"]\n"),
     {"holos.yaml:4:15: services.web.volumes[0]: cannot mount over \"/proc\": the guest's own "
      "system lives there; choose a directory of your own",
      "holos.yaml:4:29: services.web.volumes[1]: cannot mount over \"/\": the guest's own "
      "system lives there; choose a directory of your own"}},
    {"ServiceNamedImage",
     "services:\n  image:\n    image: a\n",
     {"holos.yaml:2:3: services: service name \"image\" is taken by the project's image unit; "
      "choose another"}},
    {"MountWithUnknownMode",
     web("    volumes: [\"data:/d:rx\"]\n"),
     {"holos.yaml:4:15: services.web.volumes[0]: unknown mode \"rx\", expected \"ro\" or "
      "\"rw\""}},
    {"MountWithTilde",
     web("    volumes: [\"~/src:/src\"]\n"),
     {"holos.yaml:4:15: services.web.volumes[0]: \"~/src\": \"~\" is not expanded, write the "
      "path relative to the compose file or absolute"}},
    {"MountOfUndeclaredVolume",
     web("    volumes: [\"data:/var/lib/data\"]\n"),
     {"holos.yaml:4:15: services.web.volumes[0]: volume \"data\" is not declared under the "
      "top-level \"volumes\" (none is declared)"}},
    {"MountOfUndeclaredVolumeListsDeclaredOnes",
     "volumes:\n  cache:\n  logs:\n" + web("    volumes: [\"data:/d\"]\n"),
     {"holos.yaml:7:15: services.web.volumes[0]: volume \"data\" is not declared under the "
      "top-level \"volumes\" (declared: \"cache\", \"logs\")"}},
    {"VolumeNameLongerThanTheDiskSerialHolds",
     "volumes:\n  seventeen-letters:\n" + web("    volumes: [\"seventeen-letters:/d\"]\n"),
     {"holos.yaml:2:3: volumes: volume name \"seventeen-letters\" is longer than 16 "
      "characters; the guest finds the volume by the disk serial \"vol-NAME\", which holds 20"}},
    {"VolumeWrittenByEveryReplica",
     "volumes:\n  data:\n" + web("    replicas: 2\n    volumes: [\"data:/d\"]\n"),
     {"holos.yaml:7:15: services.web.volumes[0]: volume \"data\" would be opened by 2 "
      "instances (web) while one of them writes it; a volume can be mounted read-write by one "
      "instance only, or read-only (\":ro\") by any number"}},
    {"VolumeWrittenByOneServiceAndReadByAnother",
     "volumes:\n  data:\n" +
         web_and_db("    volumes: [\"data:/d:ro\"]\n", "    volumes: [\"data:/var/lib/d\"]\n"),
     {"holos.yaml:9:15: services.db.volumes[0]: volume \"data\" would be opened by 2 instances "
      "(web (ro), db) while one of them writes it; a volume can be mounted read-write by one "
      "instance only, or read-only (\":ro\") by any number"}},
    {"MountTargetWithAControlCharacter",
     web("    volumes: [\"data:/d\\tx\"]\n"),
     {"holos.yaml:4:15: services.web.volumes[0]: the target path contains a control character"}},
    {"MountOfMissingBindSource",
     web("    volumes: [\"./src:/src:ro\"]\n"),
     {"holos.yaml:4:15: services.web.volumes[0]: bind source \"./src\" does not exist (looked "
      "for \"/srv/demo/src\")"}},
    {"MountSourceNeitherPathNorName",
     web("    volumes: [\"src/app:/app\"]\n"),
     {"holos.yaml:4:15: services.web.volumes[0]: source \"src/app\" is neither a path nor a "
      "volume name: start a relative path with \"./\""}},
    {"MountSameTargetTwice",
     "volumes:\n  data:\n  logs:\n" + web("    volumes: [\"data:/d\", \"logs:/d\"]\n"),
     {"holos.yaml:7:26: services.web.volumes[1]: target \"/d\" is already mounted by "
      "services.web.volumes[0]"}},
    {"MountLongForm",
     web("    volumes:\n      - type: bind\n"),
     {"holos.yaml:5:9: services.web.volumes[0]: the long form of a volume is not supported, "
      "write \"SOURCE:TARGET[:ro]\""}},

    // depends_on.
    {"DependsOnMissingService",
     web("    depends_on: [cache]\n"),
     {"holos.yaml:4:18: services.web.depends_on[0]: depends on \"cache\", which is not a "
      "service in this file (services: \"web\")"}},
    {"DependsOnItself",
     web("    depends_on: [web]\n"),
     {"holos.yaml:4:18: services.web.depends_on[0]: a service cannot depend on itself"}},
    {"DependsOnTwice",
     web_and_db("    depends_on: [db, db]\n", ""),
     {"holos.yaml:4:22: services.web.depends_on[1]: \"db\" is listed twice"}},
    {"DependencyCycleOfTwo",
     web_and_db("    depends_on: [db]\n", "    depends_on: [web]\n"),
     {"holos.yaml:4:5: services.web.depends_on: dependency cycle: web -> db -> web"}},
    {"DependencyCycleNamedFromTheFirstServiceInTheFile",
     "services:\n  a:\n    image: x\n    depends_on: [b]\n  c:\n    image: x\n"
     "    depends_on: [a]\n  b:\n    image: x\n    depends_on: [c]\n",
     {"holos.yaml:4:5: services.a.depends_on: dependency cycle: a -> b -> c -> a"}},
    {"DependsOnUnknownCondition",
     web_and_db("    depends_on:\n      db: {condition: started}\n", ""),
     {"holos.yaml:5:23: services.web.depends_on.db.condition: expected one of "
      "\"service_started\", \"service_healthy\" or \"service_completed_successfully\", got "
      "\"started\""}},
    {"DependsOnHealthyWithoutHealthcheck",
     web_and_db("    depends_on:\n      db: {condition: service_healthy}\n", ""),
     {"holos.yaml:5:7: services.web.depends_on.db: condition \"service_healthy\" needs a "
      "healthcheck on \"db\", which has none"}},
    {"DependsOnHealthyWithDisabledHealthcheck",
     web_and_db("    depends_on:\n      db:\n        condition: service_healthy\n",
                "    healthcheck:\n      test: [\"NONE\"]\n"),
     {"holos.yaml:5:7: services.web.depends_on.db: condition \"service_healthy\" needs a "
      "healthcheck on \"db\", whose healthcheck is disabled"}},
    {"DependsOnCompletionOfAServiceThatRestartsAlways",
     web_and_db("    depends_on:\n      db: {condition: service_completed_successfully}\n",
                "    restart: always\n"),
     {"holos.yaml:5:7: services.web.depends_on.db: condition \"service_completed_successfully\" "
      "waits for \"db\" to power off, but its restart policy would start it again; give it "
      "restart \"on-failure\" or \"no\""}},
    {"DependsOnLongFormUnknownKey",
     web_and_db("    depends_on:\n      db: {required: true}\n", ""),
     {"holos.yaml:5:12: services.web.depends_on.db: unknown key \"required\""}},
    {"DependsOnIsAString",
     web("    depends_on: db\n"),
     {"holos.yaml:4:17: services.web.depends_on: expected a list, got \"db\""}},

    // healthcheck.
    {"HealthcheckListWithoutMarker",
     web("    healthcheck:\n      test: [curl, -f, http://localhost]\n"),
     {"holos.yaml:5:7: services.web.healthcheck.test: a list must start with \"CMD\", "
      "\"CMD-SHELL\" or \"NONE\": add \"CMD\" to run it as a command, e.g. [\"CMD\", \"curl\", "
      "\"-f\", \"http://localhost\"]"}},
    {"HealthcheckCmdWithoutProgram",
     web("    healthcheck:\n      test: [CMD]\n"),
     {"holos.yaml:5:7: services.web.healthcheck.test: expected [\"NONE\"], [\"CMD\", program, "
      "args...] or [\"CMD-SHELL\", \"command\"], got 0 item(s) after \"CMD\""}},
    {"HealthcheckCmdShellWithTwoCommands",
     web("    healthcheck:\n      test: [CMD-SHELL, a, b]\n"),
     {"holos.yaml:5:7: services.web.healthcheck.test: expected [\"NONE\"], [\"CMD\", program, "
      "args...] or [\"CMD-SHELL\", \"command\"], got 2 item(s) after \"CMD-SHELL\""}},
    {"HealthcheckWithoutTest",
     web("    healthcheck:\n      interval: 10s\n"),
     {"holos.yaml:4:5: services.web.healthcheck: missing required key \"test\" (or \"disable: "
      "true\")"}},
    {"HealthcheckTestEmpty",
     web("    healthcheck:\n      test: \"\"\n"),
     {"holos.yaml:5:13: services.web.healthcheck.test: must not be empty"}},
    {"HealthcheckTestIsAMapping",
     web("    healthcheck:\n      test: {cmd: x}\n"),
     {"holos.yaml:5:7: services.web.healthcheck.test: expected a command as a string or a list, "
      "got a mapping"}},
    {"HealthcheckIntervalWithoutUnit",
     web("    healthcheck:\n      test: x\n      interval: 30\n"),
     {"holos.yaml:6:17: services.web.healthcheck.interval: expected a duration, got the bare "
      "number \"30\": add a unit, e.g. \"30s\""}},
    {"HealthcheckIntervalNegative",
     web("    healthcheck:\n      test: x\n      interval: -5s\n"),
     {duration_error("6:17: services.web.healthcheck.interval", "-5s")}},
    {"HealthcheckTimeoutZero",
     web("    healthcheck:\n      test: x\n      timeout: 0s\n"),
     {"holos.yaml:6:16: services.web.healthcheck.timeout: must be longer than zero, got "
      "\"0s\""}},
    {"HealthcheckStartPeriodFractionOfAMillisecond",
     web("    healthcheck:\n      test: x\n      start_period: 1.5ms\n"),
     {"holos.yaml:6:21: services.web.healthcheck.start_period: duration \"1.5ms\" is not a "
      "whole number of milliseconds"}},
    {"HealthcheckIntervalOverflow",
     web("    healthcheck:\n      test: x\n      interval: 9999999999999999999h\n"),
     {"holos.yaml:6:17: services.web.healthcheck.interval: duration \"9999999999999999999h\" "
      "is too long (at most 8784h, a year)"}},
    {"StopGracePeriodBeyondAYear",
     web("    stop_grace_period: 9223372036854775807ms\n"),
     {"holos.yaml:4:24: services.web.stop_grace_period: duration \"9223372036854775807ms\" is "
      "too long (at most 8784h, a year)"}},
    {"HealthcheckIntervalTrailingNumber",
     web("    healthcheck:\n      test: x\n      interval: 1m30\n"),
     {duration_error("6:17: services.web.healthcheck.interval", "1m30")}},
    {"HealthcheckRetriesZero",
     web("    healthcheck:\n      test: x\n      retries: 0\n"),
     {"holos.yaml:6:16: services.web.healthcheck.retries: expected an integer between 1 and "
      "1000, got \"0\""}},
    {"HealthcheckDisableYes",
     web("    healthcheck:\n      disable: yes\n"),
     {"holos.yaml:5:16: services.web.healthcheck.disable: expected true or false, got "
      "\"yes\""}},
    {"HealthcheckUnknownKeySuggestsFix",
     web("    healthcheck:\n      test: x\n      intervall: 3s\n"),
     {"holos.yaml:6:7: services.web.healthcheck: unknown key \"intervall\", did you mean "
      "\"interval\"?"}},
    {"HealthcheckDuplicateKey",
     web("    healthcheck:\n      test: x\n      test: y\n"),
     {"holos.yaml:6:7: services.web.healthcheck: duplicate key \"test\", first on line 5"}},

    // stop_grace_period and restart.
    {"StopGracePeriodWithoutUnit",
     web("    stop_grace_period: 10\n"),
     {"holos.yaml:4:24: services.web.stop_grace_period: expected a duration, got the bare "
      "number \"10\": add a unit, e.g. \"10s\""}},
    {"StopGracePeriodZero",
     web("    stop_grace_period: 0s\n"),
     {"holos.yaml:4:24: services.web.stop_grace_period: must be longer than zero, got \"0s\""}},
    {"StopGracePeriodInDays",
     web("    stop_grace_period: 1d\n"),
     {duration_error("4:24: services.web.stop_grace_period", "1d")}},
    {"RestartUnknown",
     web("    restart: sometimes\n"),
     {"holos.yaml:4:14: services.web.restart: " + kRestartChoices + "\"sometimes\""}},
    {"RestartFalse",
     web("    restart: false\n"),
     {"holos.yaml:4:14: services.web.restart: " + kRestartChoices + "\"false\""}},
    {"RestartIsAList",
     web("    restart: [always]\n"),
     {"holos.yaml:4:5: services.web.restart: expected a string, got a list"}},

    // environment.
    {"EnvironmentNameInvalid",
     web("    environment: [\"1A=x\"]\n"),
     {"holos.yaml:4:19: services.web.environment[0]: expected a variable name (letters, digits "
      "and \"_\", not starting with a digit), got \"1A\""}},
    {"EnvironmentBareNameUnset",
     web("    environment: [HOME_DIR]\n"),
     {"holos.yaml:4:19: services.web.environment[0]: variable \"HOME_DIR\" is not set, give it "
      "a value with \"HOME_DIR=...\""}},
    {"EnvironmentMapNameInvalid",
     web("    environment:\n      A-B: 1\n"),
     {"holos.yaml:5:7: services.web.environment.A-B: expected a variable name (letters, digits "
      "and \"_\", not starting with a digit), got \"A-B\""}},
    {"EnvironmentMapValueIsAList",
     web("    environment:\n      A: [1]\n"),
     {"holos.yaml:5:7: services.web.environment.A: expected a string, got a list"}},
    {"EnvironmentMapNullUnset",
     web("    environment:\n      TOKEN:\n"),
     {"holos.yaml:5:7: services.web.environment.TOKEN: variable \"TOKEN\" is not set, give it a "
      "value with \"TOKEN=...\""}},
    {"EnvironmentSetTwice",
     web("    environment: [\"A=1\", \"A=2\"]\n"),
     {"holos.yaml:4:26: services.web.environment[1]: variable \"A\" is set twice"}},
    {"EnvironmentIsAString",
     web("    environment: A=1\n"),
     {"holos.yaml:4:18: services.web.environment: expected a list, got \"A=1\""}},

    // cloud_init.
    {"WriteFileEncodingUnknown",
     web("    cloud_init:\n      write_files:\n        - {path: /a, encoding: zip}\n"),
     {"holos.yaml:6:32: services.web.cloud_init.write_files[0].encoding: expected \"b64\", "
      "\"base64\", \"gzip\", \"gz\", \"gz+b64\" or \"gzip+base64\", got \"zip\""}},
    {"WriteFileBase64Invalid",
     web("    cloud_init:\n      write_files:\n        - {path: /a, encoding: base64, "
         "content: \"a*b=\"}\n"),
     {"holos.yaml:6:11: services.web.cloud_init.write_files[0]: content is not valid base64, "
      "as encoding \"b64\" says"}},
    {"WriteFileBase64BadLength",
     web("    cloud_init:\n      write_files:\n        - {path: /a, encoding: gz+b64, "
         "content: abc}\n"),
     {"holos.yaml:6:11: services.web.cloud_init.write_files[0]: content is not valid base64, "
      "as encoding \"gz+b64\" says"}},
    {"WriteFileOwnerUppercase",
     web("    cloud_init:\n      write_files:\n        - {path: /a, owner: \"Root:wheel\"}\n"),
     {"holos.yaml:6:29: services.web.cloud_init.write_files[0].owner: expected \"user\" or "
      "\"user:group\" with POSIX names (lowercase letters, digits, \"_\" and \"-\", starting "
      "with a letter or \"_\", at most 32 characters), got \"Root:wheel\""}},
    {"WriteFileOwnerWithTwoColons",
     web("    cloud_init:\n      write_files:\n        - {path: /a, owner: \"a:b:c\"}\n"),
     {"holos.yaml:6:29: services.web.cloud_init.write_files[0].owner: expected \"user\" or "
      "\"user:group\" with POSIX names (lowercase letters, digits, \"_\" and \"-\", starting "
      "with a letter or \"_\", at most 32 characters), got \"a:b:c\""}},
    {"WriteFileAppendQuoted",
     web("    cloud_init:\n      write_files:\n        - {path: /a, append: \"true\"}\n"),
     {"holos.yaml:6:30: services.web.cloud_init.write_files[0].append: expected true or false, "
      "got the quoted string \"true\", remove the quotes"}},
    {"WriteFileUnknownKey",
     web("    cloud_init:\n      write_files:\n        - {path: /a, mode: \"0644\"}\n"),
     {"holos.yaml:6:22: services.web.cloud_init.write_files[0]: unknown key \"mode\""}},
    {"RuncmdEmptyExecForm",
     web("    cloud_init:\n      runcmd: [[]]\n"),
     {"holos.yaml:5:16: services.web.cloud_init.runcmd[0]: expected a command, got an empty "
      "list"}},
    {"BootcmdExecFormWithAMapping",
     web("    cloud_init:\n      bootcmd: [[echo, {a: b}]]\n"),
     {"holos.yaml:5:24: services.web.cloud_init.bootcmd[0][1]: expected a string, got a "
      "mapping"}},
    {"BootcmdIsAString",
     web("    cloud_init:\n      bootcmd: echo hi\n"),
     {"holos.yaml:5:16: services.web.cloud_init.bootcmd: expected a list, got \"echo hi\""}},
    {"RuncmdEntryIsAMapping",
     web("    cloud_init:\n      runcmd:\n        - {echo: hi}\n"),
     {"holos.yaml:6:11: services.web.cloud_init.runcmd[0]: expected a command as a string or a "
      "list of strings, got a mapping"}},

    // vm.
    {"MemoryAndMemoryMbTogether",
     web("    vm: {memory: 2G, memory_mb: 2048}\n"),
     {"holos.yaml:4:5: services.web.vm: set either \"memory\" or \"memory_mb\", not both"}},
    {"MemoryBelowMinimum",
     web("    vm: {memory: 63M}\n"),
     {"holos.yaml:4:18: services.web.vm.memory: expected between \"64M\" and \"1T\" (a number "
      "without a unit counts bytes), got \"63M\""}},
    {"MemoryBelowMinimumAfterInterpolation",
     web("    vm: {memory: \"${MEM:-63M}\"}\n"),
     {"holos.yaml:4:18: services.web.vm.memory: expected between \"64M\" and \"1T\" (a number "
      "without a unit counts bytes), got \"63M\""}},
    {"MemoryWithoutUnitCountsBytes",
     web("    vm: {memory: 2048}\n"),
     {"holos.yaml:4:18: services.web.vm.memory: expected between \"64M\" and \"1T\" (a number "
      "without a unit counts bytes), got \"2048\""}},
    {"MemoryNotWholeMiB",
     web("    vm: {memory: 128.5M}\n"),
     {"holos.yaml:4:18: services.web.vm.memory: expected a whole number of MiB, got "
      "\"128.5M\""}},
    {"MemoryAboveMaximum",
     web("    vm: {memory: 2T}\n"),
     {"holos.yaml:4:18: services.web.vm.memory: expected between \"64M\" and \"1T\" (a number "
      "without a unit counts bytes), got \"2T\""}},
    {"DiskSizeInvalid",
     web("    vm: {disk_size: 20 GB}\n"),
     {size_error("4:21: services.web.vm.disk_size", "20 GB")}},
    {"MachineInvalid",
     web("    vm: {machine: \"Q35!\"}\n"),
     {"holos.yaml:4:19: services.web.vm.machine: expected a machine type like \"q35\" or "
      "\"pc-q35-8.2\" (lowercase letters, digits, \".\", \"_\" and \"-\"), got \"Q35!\""}},
    {"CpuModelInvalid",
     web("    vm: {cpu_model: \"-host\"}\n"),
     {"holos.yaml:4:21: services.web.vm.cpu_model: expected a CPU model like \"host\" or "
      "\"Skylake-Server,-hle\" (letters, digits and \"_.,+=-\"), got \"-host\""}},
    {"UefiOn",
     web("    vm: {uefi: on}\n"),
     {"holos.yaml:4:16: services.web.vm.uefi: expected true or false, got \"on\""}},
    {"AccelUnknown",
     web("    vm: {accel: hvf}\n"),
     {"holos.yaml:4:17: services.web.vm.accel: expected \"kvm\" or \"tcg\", got \"hvf\""}},
    {"ExtraArgsIsAString",
     web("    vm: {extra_args: -nographic}\n"),
     {"holos.yaml:4:22: services.web.vm.extra_args: expected a list, got \"-nographic\""}},
    {"ExtraArgEmpty",
     web("    vm: {extra_args: [\"\"]}\n"),
     {"holos.yaml:4:23: services.web.vm.extra_args[0]: must not be empty"}},
    {"ExtensionKeyInsideVm",
     web("    vm: {x-note: 1}\n"),
     {"holos.yaml:4:10: services.web.vm: unknown key \"x-note\""}},

    // devices.
    {"DeviceWithoutPci",
     web("    devices: [{}]\n"),
     {"holos.yaml:4:15: services.web.devices[0]: missing required key \"pci\""}},
    {"DevicePciFunctionAbove7",
     web("    devices: [{pci: \"01:00.8\"}]\n"),
     {"holos.yaml:4:21: services.web.devices[0].pci: expected a PCI address like "
      "\"0000:01:00.0\" or \"01:00.0\", got \"01:00.8\""}},
    {"DevicePciNotAnAddress",
     web("    devices: [{pci: gpu}]\n"),
     {"holos.yaml:4:21: services.web.devices[0].pci: expected a PCI address like "
      "\"0000:01:00.0\" or \"01:00.0\", got \"gpu\""}},
    {"DeviceRomFileMissing",
     web("    devices: [{pci: \"01:00.0\", rom_file: vbios.rom}]\n"),
     {"holos.yaml:4:42: services.web.devices[0].rom_file: file \"vbios.rom\" does not exist "
      "(looked for \"/srv/demo/vbios.rom\")"}},
    {"DeviceWithUefiOff",
     web("    vm: {uefi: false}\n    devices: [{pci: \"01:00.0\"}]\n"),
     {"holos.yaml:4:16: services.web.vm.uefi: PCI devices need UEFI firmware, remove \"uefi: "
      "false\""}},
    {"DeviceWithReplicas",
     web("    replicas: 2\n    devices: [{pci: \"01:00.0\"}]\n"),
     {"holos.yaml:5:15: services.web.devices[0]: a PCI device can be passed to one VM only, but "
      "the service has 2 replicas"}},
    {"DevicesIsAMapping",
     web("    devices: {pci: \"01:00.0\"}\n"),
     {"holos.yaml:4:5: services.web.devices: expected a list, got a mapping"}},

    // Interpolation (no variables are set in this table).
    {"InterpolationUnterminated",
     "services:\n  web:\n    image: \"${IMAGE\"\n",
     {"holos.yaml:3:12: services.web.image: unterminated \"${\" in \"${IMAGE\""}},
    {"InterpolationRequiredVariableUnset",
     "services:\n  web:\n    image: \"${IMAGE:?set IMAGE in .env}\"\n",
     {"holos.yaml:3:12: services.web.image: required variable \"IMAGE\" is not set: set IMAGE "
      "in .env"}},
    {"InterpolationRequiredVariableWithoutMessage",
     "services:\n  web:\n    image: ${IMAGE?}\n",
     {"holos.yaml:3:12: services.web.image: required variable \"IMAGE\" is not set"}},
    {"InterpolationLoneDollar",
     web("    cloud_init: {runcmd: [\"echo $5\"]}\n"),
     {"holos.yaml:4:27: services.web.cloud_init.runcmd[0]: a \"$\" must start a variable like "
      "\"$VAR\" or \"${VAR}\", write \"$$\" for a literal \"$\", in \"echo $5\""}},
    {"InterpolationUnknownOperator",
     "services:\n  web:\n    image: \"${IMAGE/x}\"\n",
     {"holos.yaml:3:12: services.web.image: expected \"}\", \":-\", \"-\", \":?\", \"?\", "
      "\":+\" or \"+\" after \"${IMAGE\" in \"${IMAGE/x}\""}},
    {"InterpolationNameStartsWithDigit",
     "services:\n  web:\n    image: \"${1X}\"\n",
     {"holos.yaml:3:12: services.web.image: expected a variable name after \"${\" in "
      "\"${1X}\""}},
    {"InterpolationInvalidInANumber",
     web("    replicas: ${N:?how many}\n"),
     {"holos.yaml:4:15: services.web.replicas: required variable \"N\" is not set: how many"}},
};

INSTANTIATE_TEST_SUITE_P(Cases, ParseRejects, ::testing::ValuesIn(kCases), testing::case_name);

} // namespace
} // namespace holos
