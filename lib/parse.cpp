// Reads holos.yaml into the Project model.
//
// yaml-cpp hands us an untyped tree and throws on every failed conversion, so nothing here calls
// as<>(): each mapping has a table of its allowed keys, each key has one small reader, and every
// reader reports what is wrong and carries on, so that the user sees all mistakes in one run.
// yaml-cpp keeps every scalar as text, tagging plain (unquoted) ones "?" and quoted ones "!";
// we use that to reject scalars that YAML 1.1 tools would read as booleans or numbers.
#include "parse.hpp"

#include "parse_document.hpp"
#include "parse_ports.hpp"
#include "parse_values.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <optional>
#include <unistd.h>

namespace holos {
namespace {

using parsing::all_digits;
using parsing::closest_key;
using parsing::is_dns_label;
using parsing::is_octal_mode;
using parsing::is_posix_user_name;
using parsing::is_yaml11_boolean;
using parsing::parse_decimal;
using parsing::parse_port_mapping;
using parsing::Place;
using parsing::quote;
using parsing::to_source_mark;

constexpr long long kMaxVcpu = 64;
constexpr long long kMinMemoryMiB = 128;
constexpr long long kMaxMemoryMiB = 1048576;
constexpr const char* kDnsLabelRule =
    "(lowercase letters, digits and \"-\", at most 63 characters, no \"-\" at either end)";

// The state of one parse. `port_places` has one entry per PortMapping read, in project order,
// because the project-wide port checks run after all services are read and need positions.
struct Parser {
    Diagnostics& diagnostics;
    std::vector<Place> port_places;
};

std::string join_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Scalar:
        return quote(node.Scalar());
    case YAML::NodeType::Null:
        return "an empty value";
    case YAML::NodeType::Undefined:
        break;
    }
    return "nothing";
}

void error(Parser& parser, const Place& at, std::string message) {
    parser.diagnostics.error(at.mark, at.path, std::move(message));
}

void type_error(Parser& parser, const Place& at, std::string_view expected,
                const YAML::Node& node) {
    error(parser, at, "expected " + std::string(expected) + ", got " + describe(node));
}

// ---- scalars -------------------------------------------------------------------------------

bool is_plain(const YAML::Node& node) {
    return node.Tag() == "?";
}

std::optional<std::string> read_string(Parser& parser, const YAML::Node& node, const Place& at) {
    if (!node.IsScalar()) {
        type_error(parser, at, "a string", node);
        return std::nullopt;
    }
    if (is_plain(node) && is_yaml11_boolean(node.Scalar())) {
        error(parser, at,
              quote(node.Scalar()) + " is a boolean in YAML 1.1, quote it to use it as a string");
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<std::string> read_nonempty_string(Parser& parser, const YAML::Node& node,
                                                const Place& at) {
    std::optional<std::string> text = read_string(parser, node, at);
    if (text && text->empty()) {
        error(parser, at, "must not be empty");
        return std::nullopt;
    }
    return text;
}

std::optional<long long> read_integer(Parser& parser, const YAML::Node& node, const Place& at,
                                      long long min, long long max) {
    std::string expected =
        "an integer between " + std::to_string(min) + " and " + std::to_string(max);
    if (node.IsScalar() && !is_plain(node) && node.Tag() != "tag:yaml.org,2002:int") {
        error(parser, at,
              "expected " + expected + ", got the quoted string " + quote(node.Scalar()) +
                  ", remove the quotes");
        return std::nullopt;
    }
    std::optional<long long> value;
    if (node.IsScalar()) {
        value = parse_decimal(node.Scalar());
    }
    if (!value || *value < min || *value > max) {
        type_error(parser, at, expected, node);
        return std::nullopt;
    }
    return value;
}

// ---- mappings and lists --------------------------------------------------------------------

// Calls visit(key, key_at, value, value_at) for each pair of a mapping; an empty value counts
// as an empty mapping. key_at points at the key with the mapping's path; value_at points at a
// scalar value itself, or at the key for an empty or nested value, which reads better than the
// next line. yaml-cpp keeps both pairs of a duplicate key, so duplicates are caught here.
// Returns false if the node is not a mapping.
template <typename Visit>
bool for_each_pair(Parser& parser, const YAML::Node& node, const Place& at, Visit visit) {
    if (node.IsNull()) {
        return true;
    }
    if (!node.IsMap()) {
        type_error(parser, at, "a mapping", node);
        return false;
    }
    std::map<std::string, int> first_lines;
    for (const auto& pair : node) {
        Place key_at{to_source_mark(pair.first.Mark()), at.path};
        if (!pair.first.IsScalar()) {
            type_error(parser, key_at, "a string key", pair.first);
            continue;
        }
        const std::string& key = pair.first.Scalar();
        auto [first, inserted] = first_lines.emplace(key, key_at.mark.line);
        if (!inserted) {
            error(parser, key_at,
                  "duplicate key " + quote(key) + ", first on line " +
                      std::to_string(first->second));
            continue;
        }
        const YAML::Node& value = pair.second;
        SourceMark value_mark = value.IsScalar() ? to_source_mark(value.Mark()) : key_at.mark;
        visit(key, key_at, value, Place{value_mark, join_path(at.path, key)});
    }
    return true;
}

// Calls visit(item, item_at) for each item of a list; an empty value counts as an empty list.
template <typename Visit>
void for_each_item(Parser& parser, const YAML::Node& node, const Place& at, Visit visit) {
    if (node.IsNull()) {
        return;
    }
    if (!node.IsSequence()) {
        type_error(parser, at, "a list", node);
        return;
    }
    std::size_t index = 0;
    for (const auto& item : node) {
        Place item_at{to_source_mark(item.Mark()), at.path + "[" + std::to_string(index++) + "]"};
        visit(item, item_at);
    }
}

void read_string_list(Parser& parser, const YAML::Node& node, const Place& at,
                      std::vector<std::string>& out) {
    for_each_item(parser, node, at, [&](const YAML::Node& item, const Place& item_at) {
        if (std::optional<std::string> text = read_nonempty_string(parser, item, item_at)) {
            out.push_back(std::move(*text));
        }
    });
}

void unknown_key(Parser& parser, const Place& key_at, std::string_view key,
                 const std::vector<std::string_view>& known) {
    std::string message = "unknown key " + quote(key);
    if (std::optional<std::string_view> suggestion = closest_key(key, known)) {
        message += ", did you mean " + quote(*suggestion) + "?";
    }
    error(parser, key_at, message);
}

enum class Required { no, yes };

// One allowed key of a mapping that is read into a T.
template <typename T> struct Field {
    std::string_view key;
    void (*read)(Parser&, const YAML::Node&, const Place&, T&);
    Required required = Required::no;
};

// Compose convention: top-level keys starting with "x-" hold the user's own data (often YAML
// anchors to reuse), so they are skipped instead of rejected.
enum class Extensions { rejected, ignored };

// Reads a mapping through its table of fields; returns the keys that were present.
template <typename T, std::size_t N>
std::vector<std::string_view> read_fields(Parser& parser, const YAML::Node& node, const Place& at,
                                          const Field<T> (&fields)[N], T& out,
                                          Extensions extensions = Extensions::rejected) {
    std::vector<std::string_view> known;
    for (const Field<T>& field : fields) {
        known.push_back(field.key);
    }
    std::vector<std::string_view> present;
    auto visit = [&](const std::string& key, const Place& key_at, const YAML::Node& value,
                     const Place& value_at) {
        auto field = std::find(known.begin(), known.end(), key);
        if (field == known.end()) {
            if (extensions == Extensions::rejected || !key.starts_with("x-")) {
                unknown_key(parser, key_at, key, known);
            }
            return;
        }
        present.push_back(*field);
        fields[field - known.begin()].read(parser, value, value_at, out);
    };
    bool is_mapping = for_each_pair(parser, node, at, visit);
    for (const Field<T>& field : fields) {
        bool missing = std::find(present.begin(), present.end(), field.key) == present.end();
        if (is_mapping && field.required == Required::yes && missing) {
            error(parser, at, "missing required key " + quote(field.key));
        }
    }
    return present;
}

// ---- ports ---------------------------------------------------------------------------------

void read_port(Parser& parser, const YAML::Node& node, const Place& at, Service& service) {
    std::optional<std::string> text = read_string(parser, node, at);
    if (!text) {
        return;
    }
    std::string problem;
    std::optional<PortMapping> mapping = parse_port_mapping(*text, problem);
    if (!mapping) {
        error(parser, at, problem);
        return;
    }
    service.ports.push_back(std::move(*mapping));
    parser.port_places.push_back(at);
}

// ---- vm ------------------------------------------------------------------------------------

void read_vcpu(Parser& parser, const YAML::Node& node, const Place& at, VmSpec& vm) {
    if (std::optional<long long> vcpu = read_integer(parser, node, at, 1, kMaxVcpu)) {
        vm.vcpu = static_cast<int>(*vcpu);
    }
}

void read_memory(Parser& parser, const YAML::Node& node, const Place& at, VmSpec& vm) {
    std::optional<long long> memory = read_integer(parser, node, at, kMinMemoryMiB, kMaxMemoryMiB);
    if (memory) {
        vm.memory_mib = static_cast<int>(*memory);
    }
}

constexpr Field<VmSpec> kVmFields[] = {
    {"vcpu", read_vcpu},
    {"memory_mb", read_memory},
};

// ---- cloud_init ----------------------------------------------------------------------------

void read_file_path(Parser& parser, const YAML::Node& node, const Place& at, WriteFile& file) {
    std::optional<std::string> path = read_string(parser, node, at);
    if (path && !path->starts_with('/')) {
        error(parser, at, "expected an absolute path, got " + quote(*path));
        return;
    }
    if (path) {
        file.path = std::move(*path);
    }
}

void read_file_content(Parser& parser, const YAML::Node& node, const Place& at, WriteFile& file) {
    if (std::optional<std::string> content = read_string(parser, node, at)) {
        file.content = std::move(*content);
    }
}

// An unquoted 0644 is the octal number 420 in YAML 1.1 and the decimal 644 in YAML 1.2;
// only a quoted string means the same to every tool, so digits must be quoted.
void read_permissions(Parser& parser, const YAML::Node& node, const Place& at, WriteFile& file) {
    if (node.IsScalar() && is_plain(node) && all_digits(node.Scalar())) {
        error(parser, at,
              "expected a quoted string, YAML reads unquoted digits as a number: write " +
                  quote(node.Scalar()));
        return;
    }
    std::optional<std::string> mode = read_string(parser, node, at);
    if (mode && !is_octal_mode(*mode)) {
        error(parser, at, "expected 3 or 4 octal digits like \"0644\", got " + quote(*mode));
        return;
    }
    if (mode) {
        file.permissions = mode->size() == 3 ? "0" + *mode : *mode; // one spelling downstream
    }
}

constexpr Field<WriteFile> kWriteFileFields[] = {
    {"path", read_file_path, Required::yes},
    {"content", read_file_content},
    {"permissions", read_permissions},
};

void read_user(Parser& parser, const YAML::Node& node, const Place& at, CloudInit& cloud_init) {
    std::optional<std::string> user = read_string(parser, node, at);
    if (user && !is_posix_user_name(*user)) {
        error(parser, at,
              "expected a user name (lowercase letters, digits, \"_\" and \"-\", "
              "starting with a letter or \"_\", at most 32 characters), got " +
                  quote(*user));
        return;
    }
    if (user) {
        cloud_init.user = std::move(*user);
    }
}

void read_packages(Parser& parser, const YAML::Node& node, const Place& at, CloudInit& cloud_init) {
    read_string_list(parser, node, at, cloud_init.packages);
}

void read_write_files(Parser& parser, const YAML::Node& node, const Place& at,
                      CloudInit& cloud_init) {
    for_each_item(parser, node, at, [&](const YAML::Node& item, const Place& item_at) {
        WriteFile file;
        read_fields(parser, item, item_at, kWriteFileFields, file);
        cloud_init.write_files.push_back(std::move(file));
    });
}

void read_runcmd(Parser& parser, const YAML::Node& node, const Place& at, CloudInit& cloud_init) {
    std::vector<std::string> lines;
    read_string_list(parser, node, at, lines);
    for (std::string& line : lines) {
        cloud_init.runcmd.push_back({{}, std::move(line)});
    }
}

constexpr Field<CloudInit> kCloudInitFields[] = {
    {"user", read_user},
    {"packages", read_packages},
    {"write_files", read_write_files},
    {"runcmd", read_runcmd},
};

// ---- services ------------------------------------------------------------------------------

void read_image(Parser& parser, const YAML::Node& node, const Place& at, Service& service) {
    if (std::optional<std::string> image = read_nonempty_string(parser, node, at)) {
        service.image = std::move(*image);
    }
}

void read_replicas(Parser& parser, const YAML::Node& node, const Place& at, Service& service) {
    if (std::optional<long long> replicas = read_integer(parser, node, at, 1, kMaxReplicas)) {
        service.replicas = static_cast<int>(*replicas);
    }
}

void read_ports(Parser& parser, const YAML::Node& node, const Place& at, Service& service) {
    for_each_item(parser, node, at, [&](const YAML::Node& item, const Place& item_at) {
        read_port(parser, item, item_at, service);
    });
}

void read_vm(Parser& parser, const YAML::Node& node, const Place& at, Service& service) {
    read_fields(parser, node, at, kVmFields, service.vm);
}

void read_cloud_init(Parser& parser, const YAML::Node& node, const Place& at, Service& service) {
    read_fields(parser, node, at, kCloudInitFields, service.cloud_init);
}

constexpr Field<Service> kServiceFields[] = {
    {"image", read_image, Required::yes},
    {"replicas", read_replicas},
    {"ports", read_ports},
    {"vm", read_vm},
    {"cloud_init", read_cloud_init},
};

// Every service is kept, even one with errors, so that later checks still see all of them.
void read_services(Parser& parser, const YAML::Node& node, const Place& at, Project& project) {
    if (node.IsNull() || (node.IsMap() && node.size() == 0)) {
        error(parser, at, "expected at least one service");
        return;
    }
    auto visit = [&](const std::string& name, const Place& name_at, const YAML::Node& value,
                     const Place& value_at) {
        if (!is_dns_label(name)) {
            error(parser, name_at,
                  "service name " + quote(name) + " is not a DNS label " + kDnsLabelRule);
        }
        Service service;
        service.name = name;
        read_fields(parser, value, value_at, kServiceFields, service);
        project.services.push_back(std::move(service));
    };
    for_each_pair(parser, node, at, visit);
}

// ---- project -------------------------------------------------------------------------------

void read_name(Parser& parser, const YAML::Node& node, const Place& at, Project& project) {
    std::optional<std::string> name = read_string(parser, node, at);
    if (name && !is_dns_label(*name)) {
        error(parser, at,
              "expected a DNS label " + std::string(kDnsLabelRule) + ", got " + quote(*name));
        return;
    }
    if (name) {
        project.name = std::move(*name);
    }
}

constexpr Field<Project> kProjectFields[] = {
    {"name", read_name},
    {"services", read_services, Required::yes},
};

// Like docker compose: without "name", the project is named after the file's directory.
void default_project_name(Parser& parser, Project& project) {
    std::string directory =
        project.source_file.lexically_normal().parent_path().filename().string();
    if (!is_dns_label(directory)) {
        error(parser, {},
              "the directory name " + quote(directory) + " is not a valid project name " +
                  kDnsLabelRule + ", set \"name\" in the file");
        return;
    }
    project.name = directory;
}

// The root mapping of the file, or nothing after reporting why not.
std::optional<YAML::Node> load_root(Parser& parser, std::string_view text) {
    std::optional<YAML::Node> root = parsing::load_document(text, parser.diagnostics);
    if (root && !root->IsMap()) {
        type_error(parser, {to_source_mark(root->Mark()), ""}, "a mapping", *root);
        return std::nullopt;
    }
    return root;
}

void read_project(Parser& parser, const YAML::Node& root, Project& project) {
    Place at{to_source_mark(root.Mark()), ""};
    std::vector<std::string_view> present =
        read_fields(parser, root, at, kProjectFields, project, Extensions::ignored);
    if (std::find(present.begin(), present.end(), "name") == present.end()) {
        default_project_name(parser, project);
    }
    parsing::check_host_ports(project, parser.port_places, parser.diagnostics);
}

// Returns 0 or an errno. POSIX calls, because streams lose errno and "open" directories.
int read_whole_file(const std::filesystem::path& path, std::string& content) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    char buffer[65536];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof buffer)) != 0) {
        if (n < 0 && errno != EINTR) {
            int saved = errno;
            ::close(fd);
            return saved;
        }
        content.append(buffer, static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    }
    ::close(fd);
    return 0;
}

} // namespace

ParseResult parse_project_text(std::string_view text, const std::string& display_name,
                               const std::filesystem::path& source_file) {
    Diagnostics diagnostics(display_name);
    Parser parser{diagnostics, {}};
    Project project;
    project.source_file = source_file;
    project.base_dir = source_file.parent_path();
    if (std::optional<YAML::Node> root = load_root(parser, text)) {
        read_project(parser, *root, project);
    }

    ParseResult result;
    result.diagnostics = diagnostics.all();
    if (!diagnostics.has_errors()) {
        result.project = std::move(project);
    }
    return result;
}

ParseResult parse_project_file(const std::filesystem::path& file) {
    std::string text;
    if (int err = read_whole_file(file, text); err != 0) {
        Diagnostics diagnostics(file.string());
        diagnostics.error({}, "", "cannot read the file: " + std::string(std::strerror(err)));
        return {std::nullopt, diagnostics.all()};
    }
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(file, ec);
    return parse_project_text(text, file.string(), (ec ? file : absolute).lexically_normal());
}

} // namespace holos
