#include "unit_graph.hpp"

#include "generated_unit.hpp"
#include "image_catalogue.hpp"
#include "image_store.hpp"
#include "qemu_args.hpp"
#include "service_graph.hpp"
#include "unit_file.hpp"
#include "unit_graph_health.hpp"
#include "unit_graph_storage.hpp"
#include "unit_names.hpp"
#include "unit_sandbox.hpp"

#include <set>

namespace holos {
namespace {

// A download of a large image on a slow line takes long; a transfer that stalls fails long
// before this, through the pull's own stall timeout.
constexpr const char* kImagePullTimeout = "1h";

std::optional<ImageReference> stored_image(const Service& service) {
    std::string ignored;
    if (is_image_path(service.image)) {
        return std::nullopt;
    }
    std::optional<ImageReference> reference = parse_image_reference(service.image, ignored);
    if (!reference) {
        return std::nullopt; // the parser rejects such a name; nothing to pull
    }
    return canonical_reference(*reference);
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& word : words) {
        out += (out.empty() ? "" : " ") + word;
    }
    return out;
}

// The same, run outside the sandbox ("+"): as root under the system manager, to read the
// project key, create the instance's files, hand them to the instance's user and back, and
// talk to systemd-machined.
std::string privileged_helper(const GraphContext& context, std::vector<std::string> args) {
    return "+" + helper_command(context, args, true);
}

std::string instance_accel(const Service& service, const GraphContext& context) {
    return service.vm.accel.empty() ? context.accel : service.vm.accel;
}

GeneratedFile target_unit(const Project& project, const GraphContext& context) {
    UnitFileBuilder unit(generated_header(context));
    open_unit_section(unit, context, escape_text("holos project " + project.name));
    return {project_target(project.name), unit.str()};
}

GeneratedFile keys_service(const Project& project, const GraphContext& context) {
    UnitFileBuilder unit(generated_header(context));
    unit.section("Unit")
        .set("Description", escape_text("holos project " + project.name + ": SSH key"))
        .set("SourcePath", escape_text(context.source_path.string()));
    unit.section("Service")
        .set("Type", "oneshot")
        .set("RemainAfterExit", "yes")
        .set("ExecStart", helper_command(context, {"keys", project.name}));
    return {keys_unit(project.name), unit.str()};
}

// One template per project; its instances are the store references the services boot.
// It never downloads what the store has, so it touches the network only for a missing image.
GeneratedFile image_template_unit(const Project& project, const GraphContext& context) {
    UnitFileBuilder unit(generated_header(context));
    open_unit_section(unit, context, unit_description(project, "image", " %i"))
        .set("PartOf", project_target(project.name))
        .set("Wants", "network-online.target")
        .set("After", "network-online.target");
    unit.section("Service")
        .set("Type", "oneshot")
        .set("ExecStart", helper_command(context, {"pull"}, true))
        .set("TimeoutStartSec", kImagePullTimeout);
    return {image_template(project.name), unit.str()};
}

std::string runtime_directory(const Project& project, const Service& service) {
    // Relative to the manager's runtime root (/run or $XDG_RUNTIME_DIR); systemd creates it
    // before start and removes it after stop, so no stale socket outlives QEMU.
    return "holos/instances/" + project.name + "/" + service.name + "-%i";
}

// "unless-stopped" is "always" here: systemd never restarts a unit that was stopped on
// purpose. A guest that powers itself off makes QEMU exit 0, so "on-failure" leaves it off.
const char* restart_setting(RestartPolicy policy) {
    switch (policy) {
    case RestartPolicy::always:
    case RestartPolicy::unless_stopped: return "always";
    case RestartPolicy::on_failure: return "on-failure";
    case RestartPolicy::no: break;
    }
    return "no";
}

void add_restart(UnitFileBuilder& unit, const Service& service) {
    unit.set("Restart", restart_setting(service.restart));
    if (service.restart != RestartPolicy::no) {
        unit.set("RestartSec", "2");
    }
}

const char* condition_name(DependencyCondition condition) {
    switch (condition) {
    case DependencyCondition::service_healthy: return "service_healthy";
    case DependencyCondition::service_completed_successfully:
        return "service_completed_successfully";
    case DependencyCondition::service_started: break;
    }
    return "service_started";
}

// The units of every replica of `dependency` that a dependent waits for.
std::vector<std::string> awaited_units(const Project& project, const Service& dependency,
                                       DependencyCondition condition) {
    std::vector<std::string> units;
    for (int index = 0; index < dependency.replicas; ++index) {
        units.push_back(condition == DependencyCondition::service_healthy
                            ? health_unit(project.name, dependency.name, index)
                            : instance_unit(project.name, dependency.name, index));
    }
    return units;
}

// Requires= and After= for each of the service's dependencies, each with a comment saying
// what the dependent waits for. Requires=: a dependency that fails to start, or is stopped,
// takes its dependents with it.
void add_dependency_edges(UnitFileBuilder& unit, const Project& project, const Service& service) {
    for (const Dependency& dependency : service.depends_on) {
        const Service* needed = find_service(project, dependency.service);
        if (needed == nullptr) {
            continue; // the parser rejects such files
        }
        std::string units = joined(awaited_units(project, *needed, dependency.condition));
        unit.comment("depends_on " + needed->name + " (" + condition_name(dependency.condition) +
                     "): every replica")
            .set("Requires", units)
            .set("After", units);
    }
}

// Named volumes must exist and virtiofsd must listen before QEMU opens them.
void add_storage_edges(UnitFileBuilder& unit, const Project& project, const Service& service) {
    std::vector<std::string> units;
    for (const VolumeMount* mount : named_mounts(service)) {
        units.push_back(volume_unit(project.name, mount->source));
    }
    for (size_t mount = 0; mount < bind_mounts(service).size(); ++mount) {
        units.push_back(specifier_instance(
            virtiofs_template(project.name, service.name, mount, ".socket")));
    }
    if (!units.empty()) {
        unit.set("Requires", joined(units)).set("After", joined(units));
    }
}

// A service that others wait to complete runs as a oneshot: its start ends when the guest
// has powered off, and succeeds only if QEMU then exits 0.
void add_service_type(UnitFileBuilder& unit, const Project& project, const Service& service) {
    if (!runs_to_completion(project, service)) {
        unit.set("Type", "exec");
        return;
    }
    unit.set("Type", "oneshot").set("RemainAfterExit", "yes").set("TimeoutStartSec", "infinity");
}

// Only the system manager's machined takes registrations, and a oneshot instance's QEMU has
// exited by the time its unit is active.
bool registers_with_machined(const Project& project, const Service& service,
                             const GraphContext& context) {
    return context.paths.scope == Scope::system && !runs_to_completion(project, service);
}

GeneratedFile instance_template_unit(const Project& project, const Service& service,
                                     const GraphContext& context) {
    std::string keys = keys_unit(project.name);
    UnitFileBuilder unit(generated_header(context));
    open_unit_section(unit, context, unit_description(project, service.name, "-%i"))
        .set("PartOf", project_target(project.name))
        .set("Requires", keys)
        .set("Wants", specifier_instance(console_template(project.name, service.name)))
        // Stopping happens in reverse: at shutdown QEMU is stopped before the network, the
        // machine registry and the file systems that hold its disks go away.
        .set("After", keys + " network.target" +
                          (context.paths.scope == Scope::system ? " systemd-machined.service"
                                                                : ""))
        .set("RequiresMountsFor", quote_path_arg(context.paths.state_dir.string()));
    if (std::optional<ImageReference> image = stored_image(service)) {
        std::string pull = image_unit(project.name, image->str());
        unit.set("Requires", pull).set("After", pull);
    }
    add_storage_edges(unit, project, service);
    add_dependency_edges(unit, project, service);
    if (has_health_probe(service)) {
        unit.set("Wants", specifier_instance(health_template(project.name, service.name)));
    }
    if (registers_with_machined(project, service, context)) {
        unit.set("Wants", specifier_instance(machine_template(project.name, service.name)));
    }
    if (service.restart != RestartPolicy::no) {
        // A guest that keeps crashing at boot stops being restarted after 5 tries a minute.
        unit.set("StartLimitIntervalSec", "60").set("StartLimitBurst", "5");
    }
    std::int64_t grace_s = seconds_rounded_up(service.stop_grace_period_ms);
    unit.section("Service");
    add_service_type(unit, project, service);
    unit.set("Slice", "holos.slice")
        .set("ExecStartPre", privileged_helper(context, {"prepare", project.name, service.name}));
    unit.set("ExecStop", helper_command(context,
                                        {"stop", "--grace-seconds", std::to_string(grace_s),
                                         project.name, service.name},
                                        true));
    // Under the system manager its files go back to root once QEMU has stopped, and it leaves
    // machined's registry.
    if (context.paths.scope == Scope::system) {
        unit.set("ExecStopPost",
                 privileged_helper(context, {"stopped", project.name, service.name}));
    }
    unit
        // The stop helper uses the grace period; systemd then gets a little more for SIGTERM.
        .set("TimeoutStopSec", std::to_string(grace_s + 10))
        .set("KillMode", "mixed")
        .set("RuntimeDirectory", runtime_directory(project, service))
        .set("RuntimeDirectoryMode", "0700");
    add_restart(unit, service);
    add_instance_sandbox(unit, {context.paths, project, service, instance_accel(service, context)});
    return {instance_template(project.name, service.name), unit.str()};
}

// Registers the instance's QEMU with machined once it runs. It is bookkeeping, so it stays off
// the start path: a unit of its own rather than the instance's ExecStartPost=, which would
// keep the instance from counting as started until the registration is through, and ordered
// after the project's target, so a project's registrations wait until its start has settled
// instead of competing with the VMs still starting (on two CPUs, starting 20 instances took a
// quarter longer with them). Started alone (holosctl start, a restart), it runs at once.
// BindsTo= stops it with the instance and starts it again when the instance restarts, so a
// new QEMU is registered too.
GeneratedFile machine_template_unit(const Project& project, const Service& service,
                                    const GraphContext& context) {
    std::string instance = instance_unit_specifier(project.name, service.name);
    UnitFileBuilder unit(generated_header(context));
    open_unit_section(unit, context,
                      unit_description(project, service.name, "-%i registered with machined"))
        .set("BindsTo", instance)
        .set("After", instance + " " + project_target(project.name) + " systemd-machined.service");
    unit.section("Service")
        .set("Type", "oneshot")
        .set("RemainAfterExit", "yes")
        .set("Slice", "holos.slice")
        .set("ExecStart", helper_command(context, {"register", project.name, service.name}, true));
    return {machine_template(project.name, service.name), unit.str()};
}

// Ordered before its instance, so it already follows the log when QEMU writes the first
// byte, and stopped after it (PartOf=), so it copies the guest's last words too.
GeneratedFile console_template_unit(const Project& project, const Service& service,
                                    const GraphContext& context) {
    std::string instance = instance_unit_specifier(project.name, service.name);
    UnitFileBuilder unit(generated_header(context));
    open_unit_section(unit, context,
                      unit_description(project, service.name, "-%i console to the journal"))
        .set("PartOf", instance)
        .set("Before", instance);
    unit.section("Service")
        .set("Type", "exec")
        .set("Slice", "holos.slice")
        .set("ExecStart",
             helper_command(context, {"console-log", project.name, service.name}, true));
    return {console_template(project.name, service.name), unit.str()};
}

std::optional<SegmentNic> segment_nic(const GraphContext& context, const Project& project,
                                      const std::string& instance) {
    std::optional<std::uint32_t> address =
        context.network ? instance_address(*context.network, instance) : std::nullopt;
    if (!address) {
        return std::nullopt;
    }
    return SegmentNic{context.network->segment, segment_mac(project.name, *address)};
}

QemuInstance qemu_instance(const Project& project, const Service& service, int index,
                           const GraphContext& context) {
    std::string instance = instance_name(service, index);
    QemuInstance qemu{project,
                      service,
                      index,
                      instance_files(context.paths, project.name, instance),
                      std::nullopt,
                      context.accel,
                      context.qemu_binary,
                      {},
                      segment_nic(context, project, instance),
                      {},
                      {}};
    auto port = context.ssh_ports.find(instance);
    if (port != context.ssh_ports.end()) {
        qemu.ssh_port = port->second;
    }
    auto allocated = context.allocated_ports.find(instance);
    if (allocated != context.allocated_ports.end()) {
        qemu.allocated = allocated->second;
    }
    for (const VolumeMount* mount : named_mounts(service)) {
        qemu.volume_images.push_back(context.paths.volume_image(project.name, mount->source));
    }
    for (size_t mount = 0; mount < bind_mounts(service).size(); ++mount) {
        qemu.share_sockets.push_back(context.paths.virtiofs_socket(project.name, instance, mount));
    }
    return qemu;
}

GeneratedFile instance_dropin(const Project& project, const Service& service, int index,
                              const GraphContext& context) {
    UnitFileBuilder dropin(generated_header(context));
    dropin.section("Service").set(
        "ExecStart", wrapped_command_line(qemu_argv(qemu_instance(project, service, index,
                                                                  context))));
    if (!service.devices.empty()) {
        // VFIO pins all guest memory for the device's DMA.
        dropin.set("LimitMEMLOCK", "infinity");
    }
    return {instance_unit(project.name, service.name, index) + ".d/50-qemu.conf", dropin.str()};
}

// Volumes in the order of the top-level declaration; only those some service mounts.
std::vector<const NamedVolume*> mounted_volumes(const Project& project) {
    std::set<std::string> mounted;
    for (const Service& service : project.services) {
        for (const VolumeMount* mount : named_mounts(service)) {
            mounted.insert(mount->source);
        }
    }
    std::vector<const NamedVolume*> volumes;
    for (const NamedVolume& volume : project.volumes) {
        if (mounted.contains(volume.name)) {
            volumes.push_back(&volume);
        }
    }
    return volumes;
}

void add_service_units(UnitSet& set, const Project& project, const Service& service,
                       const GraphContext& context) {
    std::string target = project_target(project.name);
    std::string template_name = instance_template(project.name, service.name);
    set.files.push_back(instance_template_unit(project, service, context));
    set.files.push_back(console_template_unit(project, service, context));
    if (registers_with_machined(project, service, context)) {
        set.files.push_back(machine_template_unit(project, service, context));
    }
    for (int index = 0; index < service.replicas; ++index) {
        set.files.push_back(instance_dropin(project, service, index, context));
        std::string unit = instance_unit(project.name, service.name, index);
        set.links.push_back({target + ".wants/" + unit, "../" + template_name});
    }
    if (has_health_probe(service)) {
        // The target wants the health units too, so `up` returns once every probe passed.
        std::string health = health_template(project.name, service.name);
        set.files.push_back(health_template_unit(project, service, context));
        for (int index = 0; index < service.replicas; ++index) {
            set.links.push_back({target + ".wants/" + health_unit(project.name, service.name,
                                                                  index),
                                 "../" + health});
        }
    }
    for (size_t mount = 0; mount < bind_mounts(service).size(); ++mount) {
        for (GeneratedFile& file : virtiofs_units(project, service, mount, context)) {
            set.files.push_back(std::move(file));
        }
    }
}

} // namespace

UnitSet project_units(const Project& project, const GraphContext& context) {
    UnitSet set;
    set.files.push_back(target_unit(project, context));
    set.files.push_back(keys_service(project, context));
    if (!image_units(project).empty()) {
        set.files.push_back(image_template_unit(project, context));
    }
    for (const NamedVolume* volume : mounted_volumes(project)) {
        set.files.push_back(volume_unit_file(project, *volume, context));
    }
    for (const Service& service : project.services) {
        add_service_units(set, project, service, context);
    }
    if (context.start_at_boot) {
        std::string target = project_target(project.name);
        for (const std::string& wanted_by : {boot_target(context.paths.scope),
                                             std::string(kBootProjectsTarget)}) {
            set.links.push_back({wanted_by + ".wants/" + target, "../" + target});
        }
    }
    return set;
}

std::string boot_target(Scope scope) {
    return scope == Scope::system ? "multi-user.target" : "default.target";
}

std::vector<std::string> project_unit_names(const Project& project) {
    std::vector<std::string> names = {project_target(project.name), keys_unit(project.name),
                                      image_template(project.name)};
    for (const NamedVolume* volume : mounted_volumes(project)) {
        names.push_back(volume_unit(project.name, volume->name));
    }
    for (const Service& service : project.services) {
        names.push_back(instance_template(project.name, service.name));
        names.push_back(console_template(project.name, service.name));
        names.push_back(machine_template(project.name, service.name));
        if (has_health_probe(service)) {
            names.push_back(health_template(project.name, service.name));
        }
        for (size_t mount = 0; mount < bind_mounts(service).size(); ++mount) {
            for (const char* suffix : {".socket", ".service"}) {
                names.push_back(virtiofs_template(project.name, service.name, mount, suffix));
            }
        }
    }
    return names;
}

std::vector<std::string> loaded_unit_names(const Project& project) {
    std::vector<std::string> names = {project_target(project.name), keys_unit(project.name)};
    for (const NamedVolume* volume : mounted_volumes(project)) {
        names.push_back(volume_unit(project.name, volume->name));
    }
    for (const Service& service : project.services) {
        for (int index = 0; index < service.replicas; ++index) {
            if (has_health_probe(service)) {
                names.push_back(health_unit(project.name, service.name, index));
            }
            names.push_back(instance_unit(project.name, service.name, index));
            names.push_back(console_unit(project.name, service.name, index));
            names.push_back(machine_unit(project.name, service.name, index));
            for (size_t mount = 0; mount < bind_mounts(service).size(); ++mount) {
                for (const char* suffix : {".service", ".socket"}) {
                    names.push_back(virtiofs_unit(project.name, service.name, mount, index,
                                                  suffix));
                }
            }
        }
    }
    return names;
}

} // namespace holos

namespace holos {

std::vector<InstanceUnit> instance_units(const Project& project) {
    std::vector<InstanceUnit> all;
    for (const Service& service : project.services) {
        for (int index = 0; index < service.replicas; ++index) {
            all.push_back({&service, index, instance_name(service, index),
                           instance_unit(project.name, service.name, index)});
        }
    }
    return all;
}

} // namespace holos

namespace holos {

// The health unit's probe failures and the machine registration belong to the instance's story
// as much as QEMU's lines.
std::vector<std::string> instance_log_units(const std::string& project,
                                            const InstanceUnit& instance) {
    std::vector<std::string> units = {
        instance.unit, console_unit(project, instance.service->name, instance.index),
        machine_unit(project, instance.service->name, instance.index)};
    if (has_health_probe(*instance.service)) {
        units.push_back(health_unit(project, instance.service->name, instance.index));
    }
    return units;
}

std::vector<ImageUnit> image_units(const Project& project) {
    std::vector<ImageUnit> all;
    for (const Service& service : project.services) {
        std::optional<ImageReference> image = stored_image(service);
        bool seen = false;
        for (const ImageUnit& unit : all) {
            seen = seen || (image && unit.reference == *image);
        }
        if (image && !seen) {
            all.push_back({*image, image_unit(project.name, image->str())});
        }
    }
    return all;
}

} // namespace holos
