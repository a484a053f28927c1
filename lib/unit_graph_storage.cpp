#include "unit_graph_storage.hpp"

#include "generated_unit.hpp"
#include "unit_file.hpp"
#include "unit_names.hpp"

namespace holos {
namespace {

std::vector<const VolumeMount*> mounts_of_kind(const Service& service, VolumeMount::Kind kind) {
    std::vector<const VolumeMount*> mounts;
    for (const VolumeMount& mount : service.volumes) {
        if (mount.kind == kind) {
            mounts.push_back(&mount);
        }
    }
    return mounts;
}

// The socket's path in a template: the instance number is the %i specifier.
std::string socket_path(const Project& project, const Service& service, size_t mount,
                        const GraphContext& context) {
    return escape_text(context.paths.instances_runtime(project.name).string()) + "/" +
           virtiofs_socket_name(service.name + "-%i", mount);
}

GeneratedFile virtiofs_socket_unit(const Project& project, const Service& service, size_t mount,
                                   const GraphContext& context) {
    const VolumeMount& share = *bind_mounts(service)[mount];
    UnitFileBuilder unit(generated_header(context));
    open_unit_section(unit, context,
                      unit_description(project, service.name, "-%i") +
                          escape_text(" shares " + share.source + " at " + share.target))
        .set("PartOf", instance_unit_specifier(project.name, service.name));
    unit.section("Socket")
        .set("ListenStream", socket_path(project, service, mount, context))
        .set("SocketMode", "0600")
        .set("RemoveOnStop", "yes");
    return {virtiofs_template(project.name, service.name, mount, ".socket"), unit.str()};
}

// virtiofsd serves one connection on the socket systemd passes it (fd 3) and exits when QEMU
// goes; the next QEMU start activates a new one. Before= the instance: on stop it goes after
// QEMU, so a guest powering off never loses its mount midway. It shares a directory only
// read-write, so a read-only mount is enforced here, in the daemon's own mount namespace,
// where the guest cannot remount it.
GeneratedFile virtiofsd_service_unit(const Project& project, const Service& service, size_t mount,
                                     const GraphContext& context) {
    const VolumeMount& share = *bind_mounts(service)[mount];
    UnitFileBuilder unit(generated_header(context));
    open_unit_section(unit, context,
                      unit_description(project, service.name, "-%i") +
                          escape_text(" virtiofsd for " + share.source))
        .set("PartOf", instance_unit_specifier(project.name, service.name))
        .set("Before", instance_unit_specifier(project.name, service.name));
    unit.section("Service")
        .set("Slice", "holos.slice")
        .set("ExecStart", exec_command_line({context.virtiofsd_binary, "--fd=3", "-o",
                                             "source=" + fuse_option_escape(share.source)}));
    if (share.read_only) {
        unit.set("ReadOnlyPaths", quote_path(share.source));
    }
    return {virtiofs_template(project.name, service.name, mount, ".service"), unit.str()};
}

} // namespace

std::vector<const VolumeMount*> bind_mounts(const Service& service) {
    return mounts_of_kind(service, VolumeMount::Kind::bind);
}

std::vector<const VolumeMount*> named_mounts(const Service& service) {
    return mounts_of_kind(service, VolumeMount::Kind::named);
}

std::string fuse_option_escape(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == ',' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

GeneratedFile volume_unit_file(const Project& project, const NamedVolume& volume,
                               const GraphContext& context) {
    UnitFileBuilder unit(generated_header(context));
    open_unit_section(unit, context, unit_description(project, "volume " + volume.name))
        .set("PartOf", project_target(project.name));
    unit.section("Service")
        .set("Type", "oneshot")
        .set("RemainAfterExit", "yes")
        .set("ExecStart",
             helper_command(context, {"volume", "--size", std::to_string(volume.size_bytes),
                                      project.name, volume.name}));
    return {volume_unit(project.name, volume.name), unit.str()};
}

std::vector<GeneratedFile> virtiofs_units(const Project& project, const Service& service,
                                          size_t mount, const GraphContext& context) {
    return {virtiofs_socket_unit(project, service, mount, context),
            virtiofsd_service_unit(project, service, mount, context)};
}

} // namespace holos
