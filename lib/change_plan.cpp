// Each instance is judged twice. Its unit files say whether systemd would run it differently
// (the QEMU command line, ordering, stop settings); its provisioning fingerprint (the
// cloud-init instance-id, itself a hash of the seed, and the base image) says whether the
// guest would be set up differently. The normalised model of the service, as `holosctl
// config` prints it, names the fields that changed, and the table below says what a change
// to each top-level field means for a running VM.

#include "change_plan.hpp"

#include "cloud_init.hpp"
#include "project_output.hpp"
#include "unit_names.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace holos {
namespace {

using nlohmann::json;

enum class FieldKind { provisioning, hardware, settings };

struct FieldRule {
    const char* key;
    FieldKind kind;
};

// replicas and x-instances are compared per instance instead.
constexpr FieldRule kFieldRules[] = {
    {"image", FieldKind::provisioning},     {"image_format", FieldKind::provisioning},
    {"dockerfile", FieldKind::provisioning}, {"cloud_init", FieldKind::provisioning},
    {"environment", FieldKind::provisioning}, {"ports", FieldKind::hardware},
    {"volumes", FieldKind::hardware},       {"vm", FieldKind::hardware},
    {"devices", FieldKind::hardware},       {"restart", FieldKind::settings},
    {"stop_grace_period", FieldKind::settings}, {"healthcheck", FieldKind::settings},
    {"depends_on", FieldKind::settings},
};

struct FieldChanges {
    std::vector<std::string> provisioning, hardware, settings;

    std::vector<std::string>& of(FieldKind kind) {
        return kind == FieldKind::provisioning ? provisioning
               : kind == FieldKind::hardware   ? hardware
                                               : settings;
    }
};

std::string scalar_text(const json& value) {
    return value.is_null() ? "(none)" : value.dump();
}

// "vm.memory_mb 1024 -> 2048" for a scalar; the path alone for a list or a mapping.
void diff(const json& before, const json& after, const std::string& path,
          std::vector<std::string>& out) {
    if (before == after) {
        return;
    }
    if (before.is_object() && after.is_object()) {
        std::set<std::string> keys;
        for (const auto& [key, value] : before.items()) {
            keys.insert(key);
        }
        for (const auto& [key, value] : after.items()) {
            keys.insert(key);
        }
        for (const std::string& key : keys) {
            diff(before.value(key, json()), after.value(key, json()), path + "." + key, out);
        }
        return;
    }
    bool scalars = !before.is_structured() && !after.is_structured();
    out.push_back(scalars ? path + " " + scalar_text(before) + " -> " + scalar_text(after)
                          : path);
}

json service_json(const Project& project, const std::string& service) {
    return project_to_json(project).at("services").at(service);
}

FieldChanges field_changes(const json& before, const json& after, const std::string& instance) {
    FieldChanges changes;
    for (const FieldRule& rule : kFieldRules) {
        diff(before.value(rule.key, json()), after.value(rule.key, json()), rule.key,
             changes.of(rule.kind));
    }
    // An allocated or shifted host port is the instance's own.
    diff(before.at("x-instances").value(instance, json()),
         after.at("x-instances").value(instance, json()), "ports of " + instance,
         changes.hardware);
    return changes;
}

// What systemd reads for the instance: its template, its companion's and its drop-ins.
std::string unit_files_of(const UnitSet& units, const Service& service, int index,
                          const std::string& project) {
    std::string dropins = instance_unit(project, service.name, index) + ".d/";
    std::set<std::string> templates = {instance_template(project, service.name),
                                       console_template(project, service.name)};
    std::string text;
    for (const GeneratedFile& file : units.files) {
        if (templates.contains(file.path) || file.path.starts_with(dropins)) {
            text += file.path + "\n" + file.content + "\n";
        }
    }
    return text;
}

std::string provisioning_of(const Project& project, const Service& service, int index,
                            const std::string& public_key) {
    SeedInput seed{project, service, index, public_key};
    return instance_id(seed) + "\n" + service.image + "\n" + service.image_format;
}

struct Judged {
    PlannedAction action;
    bool provisioning_changed;
};

Judged judge(const FieldChanges& fields, bool units_differ, bool provisioning_differs,
             bool running, bool recreate) {
    if (recreate) {
        return {PlannedAction::recreate, provisioning_differs};
    }
    if (!running) {
        return {PlannedAction::start, provisioning_differs};
    }
    if (provisioning_differs) {
        return {PlannedAction::stale, true};
    }
    if (!fields.hardware.empty() || (units_differ && fields.settings.empty())) {
        return {PlannedAction::restart, false};
    }
    return {units_differ ? PlannedAction::update : PlannedAction::unchanged, false};
}

PlannedInstance plan_instance(const PlanRequest& request, const Service& service, int index,
                              const UnitSet& before_units, const UnitSet& after_units) {
    const Project& after = *request.after.project;
    PlannedInstance planned;
    planned.service = service.name;
    planned.index = index;
    planned.instance = instance_name(service, index);
    planned.unit = instance_unit(after.name, service.name, index);
    const Service* old = request.before ? find_service(*request.before->project, service.name)
                                        : nullptr;
    bool existed = old != nullptr && index < old->replicas;
    bool running = request.running_units.contains(planned.unit);
    if (!existed) {
        planned.action = PlannedAction::create;
        return planned;
    }
    const Project& before = *request.before->project;
    FieldChanges fields = field_changes(service_json(before, service.name),
                                        service_json(after, service.name), planned.instance);
    bool units_differ = unit_files_of(before_units, *old, index, before.name) !=
                        unit_files_of(after_units, service, index, after.name);
    bool provisioning_differs =
        provisioning_of(before, *old, index, request.public_key) !=
        provisioning_of(after, service, index, request.public_key);
    bool rebuilt = request.rebuilt.contains(planned.instance);
    bool recreate = request.recreate.contains(service.name) || (rebuilt && running) ||
                    (request.recreate_stale && provisioning_differs && running);
    Judged judged = judge(fields, units_differ, provisioning_differs, running, recreate);
    planned.action = judged.action;
    planned.provisioning_changed = judged.provisioning_changed;
    for (const auto* list : {&fields.provisioning, &fields.hardware, &fields.settings}) {
        planned.changes.insert(planned.changes.end(), list->begin(), list->end());
    }
    if (rebuilt && std::find(planned.changes.begin(), planned.changes.end(), "dockerfile") ==
                       planned.changes.end()) {
        planned.changes.push_back("the Dockerfile or a file it copies");
    }
    if (planned.changes.empty() && provisioning_differs) {
        planned.changes.push_back("files the provisioning reads"); // a copied file, say
    } else if (planned.changes.empty() && units_differ) {
        planned.changes.push_back("its unit files");
    }
    return planned;
}

void add_removed(const PlanRequest& request, ChangePlan& plan) {
    if (!request.before) {
        return;
    }
    const Project& before = *request.before->project;
    for (const InstanceUnit& instance : instance_units(before)) {
        const Service* now = find_service(*request.after.project, instance.service->name);
        if (now == nullptr || instance.index >= now->replicas) {
            plan.instances.push_back({instance.service->name, instance.index, instance.instance,
                                      instance.unit, PlannedAction::remove, false, {}});
        }
    }
}

std::string hint(const PlannedInstance& instance) {
    switch (instance.action) {
    case PlannedAction::remove: return "its disk is deleted";
    case PlannedAction::restart: return "restarts with its disk kept";
    case PlannedAction::update: return "applied without a restart";
    case PlannedAction::stale:
        return "keeps running as it is; holosctl up --recreate " + instance.service +
               " re-provisions it on a fresh disk";
    case PlannedAction::recreate: return "re-provisioned on a fresh disk; named volumes kept";
    case PlannedAction::start:
        return instance.provisioning_changed ? "cloud-init runs again on its current disk" : "";
    case PlannedAction::unchanged:
    case PlannedAction::create: break;
    }
    return "";
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (const std::string& part : parts) {
        out += (out.empty() ? "" : separator) + part;
    }
    return out;
}

} // namespace

const char* action_name(PlannedAction action) {
    switch (action) {
    case PlannedAction::unchanged: return "unchanged";
    case PlannedAction::create: return "create";
    case PlannedAction::remove: return "remove";
    case PlannedAction::restart: return "restart";
    case PlannedAction::update: return "update";
    case PlannedAction::stale: return "stale";
    case PlannedAction::recreate: return "recreate";
    case PlannedAction::start: return "start";
    }
    return "unchanged";
}

ChangePlan plan_changes(const PlanRequest& request) {
    const Project& after = *request.after.project;
    ChangePlan plan{after.name, {}};
    UnitSet after_units = project_units(after, request.after.context);
    UnitSet before_units = request.before
                               ? project_units(*request.before->project, request.before->context)
                               : UnitSet{};
    for (const Service* service : services_in_start_order(after)) {
        for (int index = 0; index < service->replicas; ++index) {
            plan.instances.push_back(
                plan_instance(request, *service, index, before_units, after_units));
        }
    }
    add_removed(request, plan);
    return plan;
}

std::string format_plan(const ChangePlan& plan) {
    size_t name_width = 0;
    for (const PlannedInstance& instance : plan.instances) {
        name_width = std::max(name_width, instance.instance.size());
    }
    std::string out = "project " + plan.project + ":\n";
    for (const PlannedInstance& instance : plan.instances) {
        std::string action = action_name(instance.action);
        std::vector<std::string> notes;
        if (!instance.changes.empty()) {
            notes.push_back(joined(instance.changes, ", "));
        }
        if (std::string extra = hint(instance); !extra.empty()) {
            notes.push_back(extra);
        }
        std::string line = "  " + instance.instance +
                           std::string(name_width - instance.instance.size() + 2, ' ') +
                           action + std::string(action.size() < 10 ? 10 - action.size() : 1, ' ') +
                           joined(notes, "; ");
        line.erase(line.find_last_not_of(' ') + 1);
        out += line + "\n";
    }
    return out;
}

} // namespace holos
