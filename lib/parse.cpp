// Reads holos.yaml into the Project model.
//
// The steps: yaml-cpp parses the text (parse_document), the tree is copied with merge keys
// applied (parse_tree), then each mapping is read through its table of allowed keys, each key
// by one small reader that reports what is wrong and carries on, so that the user sees all
// mistakes in one run (parse_reader and the section files). Checks that need the whole
// project (dependencies, named volumes, host ports) run last. Scalars are interpolated with
// ${VAR} variables just before they are interpreted.
#include "parse.hpp"

#include <cstdio>

#include "parse_checks.hpp"
#include "parse_cloud_init.hpp"
#include "parse_document.hpp"
#include "parse_healthcheck.hpp"
#include "parse_keys.hpp"
#include "parse_network.hpp"
#include "parse_ports.hpp"
#include "parse_reader.hpp"
#include "parse_service.hpp"
#include "parse_vm.hpp"
#include "parse_volumes.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

extern char** environ;

namespace holos {
namespace {

using namespace parsing;

constexpr const char* kDnsLabelRule =
    "(lowercase letters, digits and \"-\", at most 63 characters, no \"-\" at either end)";

// Every service is kept, even one with errors, so that later checks still see all of them.
void read_services(Parser& parser, const Node& node, const Place& at, Project& project) {
    if (node.is_null() || (node.is_mapping() && node.pairs.empty())) {
        error(parser, at, "expected at least one service");
        return;
    }
    auto visit = [&](const std::string& name, const Place& name_at, const Node& value,
                     const Place& value_at) {
        if (!is_dns_label(name)) {
            error(parser, name_at,
                  "service name " + quote(name) + " is not a DNS label " + kDnsLabelRule);
        } else if (name == "image") {
            // holos-P-image@.service is the unit that pulls the project's images.
            error(parser, name_at,
                  "service name \"image\" is taken by the project's image unit; choose another");
        }
        Service service;
        read_service(parser, name, value, value_at, service);
        project.services.push_back(std::move(service));
    };
    for_each_pair(parser, node, at, visit);
}

void read_name(Parser& parser, const Node& node, const Place& at, Project& project) {
    std::optional<std::string> name = read_string(parser, node, at);
    if (name && !is_dns_label(*name)) {
        error(parser, at,
              "expected a DNS label " + std::string(kDnsLabelRule) + ", got " + quote(*name));
    } else if (name) {
        project.name = std::move(*name);
    }
}

constexpr Field<Project> kProjectFields[] = {
    {"name", read_name},
    {"services", read_services, Required::yes},
    {"volumes", read_project_volumes},
    {"network", read_project_network},
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
std::optional<Node> load_root(Parser& parser, std::string_view text) {
    std::optional<YAML::Node> document = load_document(text, parser.diagnostics);
    std::optional<Node> root = document ? build_tree(*document, parser.diagnostics) : std::nullopt;
    if (root && !root->is_mapping()) {
        type_error(parser, {root->mark, ""}, "a mapping", *root);
        return std::nullopt;
    }
    return root;
}

void read_project(Parser& parser, const Node& root, Project& project) {
    Place at{root.mark, ""};
    std::vector<std::string_view> present =
        read_fields(parser, root, at, kProjectFields, project, Extensions::ignored);
    if (!contains(present, "name")) {
        default_project_name(parser, project);
    }
    check_volume_references(parser, project);
    check_volume_sharing(parser, project);
    check_dependencies(parser, project);
    check_network_size(parser, project, at);
    check_host_ports(project, parser.port_places, parser.diagnostics);
}

// Returns 0 or an errno. POSIX calls, because streams lose errno and "open" directories.
// A compose file is a few kilobytes; the cap keeps /dev/zero or a wrong path to a disk image
// from filling memory.
constexpr std::size_t kMaxFileBytes = 1 << 20;

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
        if (content.size() > kMaxFileBytes) {
            ::close(fd);
            return EFBIG;
        }
    }
    ::close(fd);
    return 0;
}

// The .env file beside the compose file, if there is one; problems go to `diagnostics`.
Variables read_env_file(const std::filesystem::path& compose_file,
                        std::vector<Diagnostic>& diagnostics) {
    std::filesystem::path path = compose_file.parent_path() / ".env";
    Diagnostics env_diagnostics(path.string());
    std::string text;
    Variables variables;
    if (int err = read_whole_file(path, text); err == 0) {
        variables = parse_env_file(text, env_diagnostics);
    } else if (err != ENOENT) {
        env_diagnostics.error({}, "", "cannot read the file: " + std::string(std::strerror(err)));
    }
    diagnostics = env_diagnostics.all();
    return variables;
}

Variables process_environment() {
    Variables variables;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        std::size_t equals = text.find('=');
        if (equals != std::string_view::npos) {
            variables[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
        }
    }
    return variables;
}

} // namespace

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one.
size_t utf8_sequence_length(std::string_view text, size_t i) {
    auto byte = [&](size_t at) { return static_cast<unsigned char>(text[at]); };
    unsigned char lead = byte(i);
    size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3
                                    : (lead >> 3) == 0x1e ? 4 : 0;
    if (length == 0 || i + length > text.size() || (length == 2 && lead < 0xc2)) {
        return 0;
    }
    for (size_t k = 1; k < length; ++k) {
        if ((byte(i + k) >> 6) != 0x2) {
            return 0;
        }
    }
    return length;
}

bool is_utf8(std::string_view text) {
    for (size_t i = 0, length = 0; i < text.size(); i += length) {
        length = utf8_sequence_length(text, i);
        if (length == 0) {
            return false;
        }
    }
    return true;
}

// YAML files are UTF-8; anything else would reach unit files, seeds and JSON garbled.
bool check_utf8(std::string_view text, Diagnostics& diagnostics) {
    int line = 1, column = 1;
    for (size_t i = 0; i < text.size();) {
        size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(text[i]));
            diagnostics.error({line, column}, "",
                              std::string("invalid UTF-8 byte ") + hex +
                                  "; save the file as UTF-8");
            return false;
        }
        line += text[i] == '\n' ? 1 : 0;
        column = text[i] == '\n' ? 1 : column + 1;
        i += length;
    }
    return true;
}

} // namespace

ParseResult parse_project_text(std::string_view text, const std::string& display_name,
                               const std::filesystem::path& source_file) {
    return parse_project_text(text, display_name, source_file, Variables{});
}

ParseResult parse_project_text(std::string_view text, const std::string& display_name,
                               const std::filesystem::path& source_file,
                               const Variables& variables) {
    Diagnostics diagnostics(display_name);
    Parser parser(diagnostics, variables, source_file.parent_path());
    Project project;
    project.source_file = source_file;
    project.base_dir = source_file.parent_path();
    // Nothing more can be said reliably about a file in another encoding.
    if (check_utf8(text, diagnostics)) {
        if (std::optional<Node> root = load_root(parser, text)) {
            read_project(parser, *root, project);
        }
    }

    for (const auto& [name, value] : parser.trace.used) {
        if (!is_utf8(value)) {
            diagnostics.error({}, "", "variable \"" + name + "\" is not valid UTF-8");
        }
    }
    ParseResult result;
    result.diagnostics = diagnostics.all();
    result.variables_used = std::move(parser.trace.used);
    if (!diagnostics.has_errors()) {
        result.project = std::move(project);
    }
    return result;
}

ParseResult parse_project_file(const std::filesystem::path& file) {
    std::string text;
    if (int err = read_whole_file(file, text); err != 0) {
        Diagnostics diagnostics(file.string());
        diagnostics.error({}, "", err == EFBIG ? "the file is larger than 1 MiB; is it the "
                                                 "right file?"
                                               : "cannot read the file: " +
                                                     std::string(std::strerror(err)));
        return {std::nullopt, diagnostics.all(), {}};
    }
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(file, ec);
    std::vector<Diagnostic> env_problems;
    Variables variables = read_env_file(file, env_problems);
    for (auto& [name, value] : process_environment()) {
        variables[name] = std::move(value);
    }
    ParseResult result = parse_project_text(text, file.string(),
                                            (ec ? file : absolute).lexically_normal(), variables);
    if (!env_problems.empty()) {
        result.diagnostics.insert(result.diagnostics.begin(), env_problems.begin(),
                                  env_problems.end());
        result.project.reset();
    }
    return result;
}

namespace parsing {

std::vector<KeyTableInfo> key_tables() {
    return {
        {"", keys_of(kProjectFields)},
        {"volumes.*", named_volume_keys()},
        {"network", network_keys()},
        {"services.*", service_keys()},
        {"services.*.vm", vm_keys()},
        {"services.*.cloud_init", cloud_init_keys()},
        {"services.*.cloud_init.write_files[]", write_file_keys()},
        {"services.*.healthcheck", healthcheck_keys()},
        {"services.*.depends_on.*", dependency_keys()},
        {"services.*.devices[]", device_keys()},
    };
}

} // namespace parsing
} // namespace holos
