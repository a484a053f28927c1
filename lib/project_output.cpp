// Writes the model back as a holos.yaml. One ordered JSON tree holds the document; the YAML
// is emitted from it, so both outputs always agree. Which optional fields are written follows
// one rule: a field is left out only when its model value means "not set" (an empty image
// format, CPU model, owner...), since the parser would reject an empty string there.
//
// The YAML must read back to the same model, so every string goes through one quoting rule
// (plain only when no YAML reader could take it for anything but a string) and "$" is written
// as "$$", which interpolation turns back into a single "$".
#include "project_output.hpp"

#include <yaml-cpp/yaml.h>

#include <array>
#include <string_view>

namespace holos {
namespace {

using Tree = nlohmann::ordered_json;

std::string format_port(const PortMapping& port) {
    std::string host = port.host_port == 0 ? "" : std::to_string(port.host_port);
    return port.host_ip + ":" + host + ":" + std::to_string(port.guest_port) + "/" + port.protocol;
}

// What replica `index` binds, as `holosctl up` reports it.
std::string format_instance_port(const PortMapping& port, int index) {
    std::string host = port.host_port == 0 ? "auto" : std::to_string(port.host_port + index);
    return port.host_ip + ":" + host + "->" + std::to_string(port.guest_port) + "/" + port.protocol;
}

// Shell form as one string, exec form as a list.
Tree command_tree(const Command& command) {
    if (command.argv.empty()) {
        return command.shell;
    }
    return command.argv;
}

// Compose spells healthcheck tests ["CMD", argv...] and "shell line" (CMD-SHELL).
Tree healthcheck_test_tree(const Command& command) {
    if (command.argv.empty()) {
        return command.shell;
    }
    Tree test = Tree::array({"CMD"});
    for (const std::string& arg : command.argv) {
        test.push_back(arg);
    }
    return test;
}

Tree commands_tree(const std::vector<Command>& commands) {
    Tree list = Tree::array();
    for (const Command& command : commands) {
        list.push_back(command_tree(command));
    }
    return list;
}

const char* condition_name(DependencyCondition condition) {
    switch (condition) {
    case DependencyCondition::service_started:
        break;
    case DependencyCondition::service_healthy:
        return "service_healthy";
    case DependencyCondition::service_completed_successfully:
        return "service_completed_successfully";
    }
    return "service_started";
}

const char* restart_name(RestartPolicy policy) {
    switch (policy) {
    case RestartPolicy::no:
        break;
    case RestartPolicy::always:
        return "always";
    case RestartPolicy::on_failure:
        return "on-failure";
    case RestartPolicy::unless_stopped:
        return "unless-stopped";
    }
    return "no";
}

void set_if(Tree& tree, const char* key, const std::string& value) {
    if (!value.empty()) {
        tree[key] = value;
    }
}

Tree size_tree(std::uint64_t bytes) {
    std::string text = format_size(bytes);
    if (text == std::to_string(bytes)) {
        return bytes;
    }
    return text;
}

Tree vm_tree(const VmSpec& vm) {
    Tree tree = Tree::object();
    tree["vcpu"] = vm.vcpu;
    tree["memory_mb"] = vm.memory_mib;
    if (vm.disk_size_bytes) {
        tree["disk_size"] = size_tree(*vm.disk_size_bytes);
    }
    tree["machine"] = vm.machine;
    set_if(tree, "cpu_model", vm.cpu_model);
    tree["uefi"] = vm.uefi;
    set_if(tree, "accel", vm.accel);
    tree["extra_args"] = vm.extra_args;
    return tree;
}

Tree write_file_tree(const WriteFile& file) {
    Tree tree = Tree::object();
    tree["path"] = file.path;
    tree["content"] = file.content;
    set_if(tree, "encoding", file.encoding);
    tree["permissions"] = file.permissions;
    set_if(tree, "owner", file.owner);
    tree["append"] = file.append;
    return tree;
}

Tree cloud_init_tree(const CloudInit& cloud_init) {
    Tree tree = Tree::object();
    set_if(tree, "user", cloud_init.user);
    tree["packages"] = cloud_init.packages;
    tree["write_files"] = Tree::array();
    for (const WriteFile& file : cloud_init.write_files) {
        tree["write_files"].push_back(write_file_tree(file));
    }
    tree["runcmd"] = commands_tree(cloud_init.runcmd);
    tree["bootcmd"] = commands_tree(cloud_init.bootcmd);
    return tree;
}

Tree healthcheck_tree(const Healthcheck& healthcheck) {
    Tree tree = Tree::object();
    if (!healthcheck.test.argv.empty() || !healthcheck.test.shell.empty()) {
        tree["test"] = healthcheck_test_tree(healthcheck.test); // none when disabled by "NONE"
    }
    tree["interval"] = format_duration(healthcheck.interval_ms);
    tree["timeout"] = format_duration(healthcheck.timeout_ms);
    tree["retries"] = healthcheck.retries;
    tree["start_period"] = format_duration(healthcheck.start_period_ms);
    tree["disable"] = healthcheck.disabled;
    return tree;
}

Tree volume_mount_string(const VolumeMount& mount) {
    return mount.source + ":" + mount.target + (mount.read_only ? ":ro" : ":rw");
}

Tree devices_tree(const std::vector<PciDevice>& devices) {
    Tree list = Tree::array();
    for (const PciDevice& device : devices) {
        Tree tree = Tree::object();
        tree["pci"] = device.address;
        set_if(tree, "rom_file", device.rom_file.string());
        list.push_back(std::move(tree));
    }
    return list;
}

Tree instances_tree(const Service& service) {
    Tree tree = Tree::object();
    for (int index = 0; index < service.replicas; ++index) {
        Tree ports = Tree::array();
        for (const PortMapping& port : service.ports) {
            ports.push_back(format_instance_port(port, index));
        }
        tree[instance_name(service, index)] = Tree{{"ports", std::move(ports)}};
    }
    return tree;
}

Tree service_tree(const Service& service) {
    Tree tree = Tree::object();
    tree["image"] = service.image;
    set_if(tree, "image_format", service.image_format);
    set_if(tree, "dockerfile", service.dockerfile.string());
    tree["replicas"] = service.replicas;

    tree["ports"] = Tree::array();
    for (const PortMapping& port : service.ports) {
        tree["ports"].push_back(format_port(port));
    }
    tree["volumes"] = Tree::array();
    for (const VolumeMount& mount : service.volumes) {
        tree["volumes"].push_back(volume_mount_string(mount));
    }
    tree["depends_on"] = Tree::object();
    for (const Dependency& dependency : service.depends_on) {
        tree["depends_on"][dependency.service] = {
            {"condition", condition_name(dependency.condition)}};
    }
    if (service.healthcheck) {
        tree["healthcheck"] = healthcheck_tree(*service.healthcheck);
    }

    tree["stop_grace_period"] = format_duration(service.stop_grace_period_ms);
    tree["restart"] = restart_name(service.restart);
    tree["environment"] = Tree::object();
    for (const auto& [key, value] : service.environment) {
        tree["environment"][key] = value;
    }
    tree["vm"] = vm_tree(service.vm);
    tree["cloud_init"] = cloud_init_tree(service.cloud_init);
    tree["devices"] = devices_tree(service.devices);
    tree["x-instances"] = instances_tree(service);
    return tree;
}

Tree project_tree(const Project& project) {
    Tree tree = Tree::object();
    tree["name"] = project.name;
    tree["services"] = Tree::object();
    for (const Service& service : project.services) {
        tree["services"][service.name] = service_tree(service);
    }
    tree["volumes"] = Tree::object();
    for (const NamedVolume& volume : project.volumes) {
        tree["volumes"][volume.name] = {{"size", size_tree(volume.size_bytes)}};
    }
    tree["network"] = {{"subnet", format_subnet(project.network.subnet)}};
    return tree;
}

// ---- YAML ----------------------------------------------------------------------------------

bool is_yaml_keyword(std::string_view text) {
    // YAML 1.1 booleans and nulls in every case yaml-cpp or PyYAML accept.
    static constexpr std::array kWords = {"y",     "yes", "n",   "no",   "true",
                                          "false", "on",  "off", "null", "~"};
    std::string lower;
    for (char c : text) {
        lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    for (std::string_view word : kWords) {
        if (lower == word) {
            return true;
        }
    }
    return false;
}

// Plain style only for text that starts with a letter or "/" and holds nothing YAML treats
// specially; everything else (numbers, "0644", "8080:80", "no", text with ": " or "#") is
// quoted.
bool can_be_plain(std::string_view text) {
    if (text.empty() || is_yaml_keyword(text)) {
        return false;
    }
    bool starts_well =
        (text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z') || text[0] == '/';
    if (!starts_well) {
        return false;
    }
    if (text.back() == ' ' || text.back() == ':') {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("/._-+=@ ").find(c) != std::string_view::npos ||
                  (c == ':' && text[i + 1] != ' '); // "debian:12" is plain, "a: b" a mapping
        if (!ok) {
            return false;
        }
    }
    return true;
}

// Multi-line text reads best as a literal block, which keeps every character only if the text
// ends in exactly one newline, has no other control characters and no line-edge spaces.
bool can_be_literal(std::string_view text) {
    if (text.size() < 2 || !text.ends_with('\n') || text.ends_with("\n\n") || text[0] == ' ') {
        return false;
    }
    char previous = '\n';
    for (char c : text) {
        bool control = static_cast<unsigned char>(c) < 0x20 && c != '\n';
        if (control || c == '\x7f' || (c == '\n' && previous == ' ')) {
            return false;
        }
        previous = c;
    }
    return true;
}

std::string escape_dollars(std::string_view text) {
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '$') {
            out += '$';
        }
    }
    return out;
}

void emit_string(YAML::Emitter& out, std::string_view raw) {
    std::string text = escape_dollars(raw);
    if (can_be_plain(text)) {
        out << text;
    } else if (can_be_literal(text)) {
        // The emitter ends the block with a line break of its own, which "|" keeps as the
        // one final newline.
        text.pop_back();
        out << YAML::Literal << text;
    } else {
        out << YAML::DoubleQuoted << text;
    }
}

void emit(YAML::Emitter& out, const Tree& tree) {
    switch (tree.type()) {
    case Tree::value_t::object:
        out << (tree.empty() ? YAML::Flow : YAML::Block) << YAML::BeginMap;
        for (const auto& [key, value] : tree.items()) {
            out << YAML::Key;
            emit_string(out, key);
            out << YAML::Value;
            emit(out, value);
        }
        out << YAML::EndMap;
        return;
    case Tree::value_t::array:
        out << (tree.empty() ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
        for (const Tree& item : tree) {
            emit(out, item);
        }
        out << YAML::EndSeq;
        return;
    case Tree::value_t::string:
        emit_string(out, tree.get_ref<const std::string&>());
        return;
    case Tree::value_t::boolean:
        out << (tree.get<bool>() ? "true" : "false");
        return;
    case Tree::value_t::number_integer:
        out << tree.get<std::int64_t>();
        return;
    case Tree::value_t::number_unsigned:
        out << tree.get<std::uint64_t>();
        return;
    default:
        out << YAML::Null;
        return;
    }
}

} // namespace

std::string format_duration(std::int64_t ms) {
    if (ms == 0) {
        return "0s";
    }
    std::string out = ms < 0 ? "-" : "";
    std::uint64_t rest =
        ms < 0 ? 0 - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
    constexpr std::pair<std::uint64_t, const char*> kUnits[] = {
        {3'600'000, "h"}, {60'000, "m"}, {1'000, "s"}, {1, "ms"}};
    for (const auto& [unit_ms, suffix] : kUnits) {
        if (rest >= unit_ms) {
            out += std::to_string(rest / unit_ms) + suffix;
            rest %= unit_ms;
        }
    }
    return out;
}

std::string format_size(std::uint64_t bytes) {
    constexpr std::pair<int, char> kUnits[] = {{40, 'T'}, {30, 'G'}, {20, 'M'}, {10, 'K'}};
    for (const auto& [shift, suffix] : kUnits) {
        std::uint64_t unit = 1ULL << shift;
        if (bytes != 0 && bytes % unit == 0) {
            return std::to_string(bytes / unit) + suffix;
        }
    }
    return std::to_string(bytes);
}

std::string project_to_yaml(const Project& project) {
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    emit(out, project_tree(project));
    return std::string(out.c_str()) + "\n";
}

nlohmann::json project_to_json(const Project& project) {
    return nlohmann::json::parse(project_tree(project).dump());
}

} // namespace holos
