// The fields of a service that are a value or a short list. Larger sections (vm, cloud_init,
// healthcheck, volumes) have their own files; checks that need other services run in
// parse_checks.cpp once every service is read.
#include "parse_service.hpp"

#include "parse_cloud_init.hpp"
#include "parse_dockerfile.hpp"
#include "parse_healthcheck.hpp"
#include "parse_ports.hpp"
#include "parse_vm.hpp"
#include "parse_volumes.hpp"

#include "image_reference.hpp"

namespace holos::parsing {
namespace {

constexpr const char* kVariableRule = "(letters, digits and \"_\", not starting with a digit)";

ServiceNotes& notes(Parser& parser) {
    return parser.notes.back();
}

// "./disk.qcow2", "images/x.raw", "/var/lib/x.qcow2": a file, not a name in the image store.
bool is_image_path(std::string_view image) {
    return image.find('/') != std::string_view::npos || image.starts_with('.');
}

// A store reference becomes part of a unit name, so only plain names get through.
bool check_image_name(Parser& parser, const std::string& image, const Place& at) {
    std::string problem;
    if (parse_image_reference(image, problem)) {
        return true;
    }
    error(parser, at,
          quote(image) + " is not an image name (" + problem +
              "); expected NAME[:TAG], or a path with a \"/\"");
    return false;
}

void read_image(Parser& parser, const Node& node, const Place& at, Service& service) {
    notes(parser).image = at;
    std::optional<std::string> image = read_nonempty_string(parser, node, at);
    if (image && !is_image_path(*image) && !check_image_name(parser, *image, at)) {
        return;
    }
    if (!image || !is_image_path(*image)) {
        service.image = image.value_or("");
        return;
    }
    if (std::optional<std::filesystem::path> file = existing_file(parser, *image, at)) {
        service.image = file->string();
    }
}

void read_image_format(Parser& parser, const Node& node, const Place& at, Service& service) {
    if (std::optional<std::string> format = read_choice(parser, node, at, {"qcow2", "raw"})) {
        service.image_format = std::move(*format);
    }
}

void read_dockerfile(Parser& parser, const Node& node, const Place& at, Service& service) {
    notes(parser).dockerfile = at;
    std::optional<std::filesystem::path> file = read_existing_file(parser, node, at);
    if (!file) {
        return;
    }
    service.dockerfile = *file;
    std::filesystem::path shown = std::filesystem::path(parser.diagnostics.file()).parent_path() /
                                  file->lexically_relative(parser.base_dir);
    DockerfileRead read = parsing::read_dockerfile(*file, shown.string(), parser.diagnostics);
    if (!read.readable) {
        error(parser, at, "cannot read " + quote(file->string()));
        return;
    }
    service.dockerfile_steps = std::move(read.steps);
    std::optional<std::string> from = read.base_image;
    if (!from || from->empty()) {
        return;
    }
    if (!is_image_path(*from)) {
        if (check_image_name(parser, *from, at)) {
            notes(parser).dockerfile_from = *from;
        }
    } else if (std::optional<std::filesystem::path> image = existing_file(parser, *from, at)) {
        notes(parser).dockerfile_from = image->string();
    }
}

void read_replicas(Parser& parser, const Node& node, const Place& at, Service& service) {
    if (std::optional<long long> replicas = read_integer(parser, node, at, 1, kMaxReplicas)) {
        service.replicas = static_cast<int>(*replicas);
    }
}

void read_port(Parser& parser, const Node& node, const Place& at, Service& service) {
    if (node.is_mapping()) {
        error(parser, at, "the long form of a port is not supported, write \"HOST:GUEST\"");
        return;
    }
    if (node.is_plain() && is_base60_number(node.text)) {
        error(parser, at,
              "unquoted " + quote(node.text) +
                  " is a base-60 number in YAML 1.1, put the port mapping in quotes");
        return;
    }
    std::optional<std::string> text = read_string(parser, node, at);
    std::string problem;
    std::optional<std::vector<PortMapping>> mappings =
        text ? parse_port_mappings(*text, problem) : std::nullopt;
    if (text && !mappings) {
        error(parser, at, problem);
    }
    if (mappings && mappings->front().host_ip == "0.0.0.0") {
        warning(parser, at,
                "bound to 0.0.0.0: the port is reachable from other hosts, not only this one");
    }
    for (PortMapping& mapping : mappings.value_or(std::vector<PortMapping>{})) {
        service.ports.push_back(std::move(mapping));
        parser.port_places.push_back(at);
    }
}

void read_ports(Parser& parser, const Node& node, const Place& at, Service& service) {
    for_each_item(parser, node, at, [&](const Node& item, const Place& item_at) {
        read_port(parser, item, item_at, service);
    });
}

void read_condition(Parser& parser, const Node& node, const Place& at, Dependency& dependency) {
    static const std::vector<std::string_view> kChoices = {"service_started", "service_healthy",
                                                           "service_completed_successfully"};
    std::optional<std::string> condition = read_choice(parser, node, at, kChoices);
    if (condition) {
        auto index = std::find(kChoices.begin(), kChoices.end(), *condition) - kChoices.begin();
        dependency.condition = static_cast<DependencyCondition>(index);
    }
}

constexpr Field<Dependency> kDependencyFields[] = {
    {"condition", read_condition},
};

void add_dependency(Parser& parser, Service& service, Dependency dependency, const Place& at,
                    bool explicit_condition) {
    for (const Dependency& existing : service.depends_on) {
        if (existing.service == dependency.service) {
            error(parser, at, quote(dependency.service) + " is listed twice");
            return;
        }
    }
    service.depends_on.push_back(std::move(dependency));
    notes(parser).dependency_places.push_back(at);
    notes(parser).explicit_condition.push_back(explicit_condition);
}

// A list of names, or compose's long form {name: {condition: ...}}.
void read_depends_on(Parser& parser, const Node& node, const Place& at, Service& service) {
    notes(parser).depends_on = at;
    if (node.is_mapping()) {
        for_each_pair(parser, node, at,
                      [&](const std::string& name, const Place& name_at, const Node& value,
                          const Place& value_at) {
                          // The long form's condition defaults to service_started, as in
                          // compose; only the list form looks at the healthcheck.
                          Dependency dependency{name, DependencyCondition::service_started};
                          read_fields(parser, value, value_at, kDependencyFields, dependency);
                          add_dependency(parser, service, std::move(dependency),
                                         Place{name_at.mark, value_at.path}, true);
                      });
        return;
    }
    for_each_item(parser, node, at, [&](const Node& item, const Place& item_at) {
        if (std::optional<std::string> name = read_nonempty_string(parser, item, item_at)) {
            add_dependency(parser, service, {*name, DependencyCondition::service_started}, item_at,
                           false);
        }
    });
}

void read_stop_grace_period(Parser& parser, const Node& node, const Place& at, Service& service) {
    if (std::optional<std::int64_t> ms = read_duration(parser, node, at, false)) {
        service.stop_grace_period_ms = *ms;
    }
}

// Unquoted `no` is a YAML 1.1 boolean, but it is compose's documented spelling, so restart
// takes the text as written.
void read_restart(Parser& parser, const Node& node, const Place& at, Service& service) {
    static const std::vector<std::string_view> kChoices = {"no", "always", "on-failure",
                                                           "unless-stopped"};
    if (!node.is_scalar()) {
        type_error(parser, at, "a string", node);
        return;
    }
    std::optional<std::string> text = interpolated(parser, node, at);
    auto match = std::find(kChoices.begin(), kChoices.end(), text.value_or(""));
    if (text && match == kChoices.end()) {
        error(parser, at,
              "expected one of \"no\", \"always\", \"on-failure\", \"unless-stopped\", got " +
                  quote(*text));
    } else if (text) {
        service.restart = static_cast<RestartPolicy>(match - kChoices.begin());
    }
}

// The value of a variable given by name only: it comes from the interpolation variables.
std::optional<std::string> inherited_value(Parser& parser, const std::string& name,
                                           const Place& at) {
    auto it = parser.variables.find(name);
    if (it == parser.variables.end()) {
        error(parser, at,
              "variable " + quote(name) + " is not set, give it a value with \"" + name + "=...\"");
        return std::nullopt;
    }
    parser.trace.used[name] = it->second;
    return it->second;
}

void add_variable(Parser& parser, Service& service, const std::string& name,
                  std::optional<std::string> value, const Place& at) {
    if (!is_variable_name(name)) {
        error(parser, at,
              "expected a variable name " + std::string(kVariableRule) + ", got " + quote(name));
        return;
    }
    for (const auto& [existing, ignored] : service.environment) {
        if (existing == name) {
            error(parser, at, "variable " + quote(name) + " is set twice");
            return;
        }
    }
    if (!value) {
        value = inherited_value(parser, name, at);
    }
    if (value) {
        service.environment.emplace_back(name, std::move(*value));
    }
}

// ["A=1", "B"] or {A: 1, B: x}; numbers and booleans in the map form keep their text.
void read_environment(Parser& parser, const Node& node, const Place& at, Service& service) {
    if (node.is_mapping()) {
        for_each_pair(parser, node, at,
                      [&](const std::string& name, const Place& name_at, const Node& value,
                          const Place& value_at) {
                          if (!value.is_null() && !value.is_scalar()) {
                              type_error(parser, value_at, "a string", value);
                              return;
                          }
                          std::optional<std::string> text;
                          if (value.is_scalar() &&
                              !(text = interpolated(parser, value, value_at))) {
                              return;
                          }
                          add_variable(parser, service, name, std::move(text),
                                       Place{name_at.mark, value_at.path});
                      });
        return;
    }
    for_each_item(parser, node, at, [&](const Node& item, const Place& item_at) {
        std::optional<std::string> entry = read_nonempty_string(parser, item, item_at);
        if (!entry) {
            return;
        }
        std::size_t equals = entry->find('=');
        std::optional<std::string> value;
        if (equals != std::string::npos) {
            value = entry->substr(equals + 1);
        }
        add_variable(parser, service, entry->substr(0, equals), std::move(value), item_at);
    });
}

void read_healthcheck_field(Parser& parser, const Node& node, const Place& at, Service& service) {
    read_healthcheck(parser, node, at, service);
}

constexpr Field<Service> kServiceFields[] = {
    {"image", read_image},
    {"image_format", read_image_format},
    {"dockerfile", read_dockerfile},
    {"replicas", read_replicas},
    {"ports", read_ports},
    {"volumes", read_service_volumes},
    {"depends_on", read_depends_on},
    {"healthcheck", read_healthcheck_field},
    {"stop_grace_period", read_stop_grace_period},
    {"restart", read_restart},
    {"environment", read_environment},
    {"cloud_init", read_cloud_init},
    {"vm", read_vm},
    {"devices", read_devices},
};

// The image, from "image" or the Dockerfile's FROM, which must agree when both are given.
void settle_image(Parser& parser, Service& service) {
    const ServiceNotes& places = notes(parser);
    if (!places.image && !places.dockerfile) {
        error(parser, places.at, "expected \"image\" or \"dockerfile\" to say what to boot");
        return;
    }
    if (places.dockerfile_from.empty()) {
        return;
    }
    if (!places.image) {
        service.image = places.dockerfile_from;
    } else if (!service.image.empty() && service.image != places.dockerfile_from) {
        error(parser, *places.image,
              "image " + quote(service.image) + " differs from " + quote(places.dockerfile_from) +
                  " in the FROM line of " + quote(service.dockerfile.string()) +
                  ", remove one of them");
    }
}

// PCI passthrough needs UEFI firmware, and a device can be given to one VM only.
void settle_devices(Parser& parser, Service& service) {
    const ServiceNotes& places = notes(parser);
    if (service.devices.empty()) {
        return;
    }
    if (places.uefi_false) {
        error(parser, *places.uefi_false, "PCI devices need UEFI firmware, remove \"uefi: false\"");
    }
    service.vm.uefi = true;
    if (service.replicas > 1) {
        error(parser, places.device_places.front(),
              "a PCI device can be passed to one VM only, but the service has " +
                  std::to_string(service.replicas) + " replicas");
    }
}

} // namespace

void read_service(Parser& parser, const std::string& name, const Node& node, const Place& at,
                  Service& service) {
    parser.notes.push_back(ServiceNotes{at, {}, {}, {}, {}, {}, {}, {}, {}});
    service.name = name;
    bool is_mapping = node.is_mapping() || node.is_null();
    read_fields(parser, node, at, kServiceFields, service, Extensions::ignored);
    if (is_mapping) {
        settle_image(parser, service);
        settle_devices(parser, service);
    }
}

std::vector<std::string> service_keys() {
    return keys_of(kServiceFields);
}

std::vector<std::string> dependency_keys() {
    return keys_of(kDependencyFields);
}

} // namespace holos::parsing
