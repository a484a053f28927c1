#include "cloud_init.hpp"

#include "guest_mounts.hpp"
#include "qemu_args.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace holos {
namespace {

// Single quotes keep every character literal in POSIX sh; a quote itself is closed, escaped
// and reopened.
std::string shell_quote(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

// The project key opens root (holosctl exec's default user, as in docker exec), the image's
// default user and the service's cloud_init.user, if it names one.
void emit_login_user(YAML::Emitter& out, const SeedInput& in) {
    out << YAML::Key << "disable_root" << YAML::Value << false;
    out << YAML::Key << "ssh_authorized_keys" << YAML::Value << YAML::BeginSeq << in.public_key
        << YAML::EndSeq;
    const std::string& user = in.service.cloud_init.user;
    if (user.empty()) {
        return;
    }
    out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq << "default";
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << user;
    out << YAML::Key << "sudo" << YAML::Value << "ALL=(ALL) NOPASSWD:ALL";
    out << YAML::Key << "shell" << YAML::Value << "/bin/bash";
    out << YAML::Key << "lock_passwd" << YAML::Value << true;
    out << YAML::Key << "ssh_authorized_keys" << YAML::Value << YAML::BeginSeq
        << in.public_key << YAML::EndSeq;
    out << YAML::EndMap << YAML::EndSeq;
}

void emit_string_list(YAML::Emitter& out, const char* key, const std::vector<std::string>& items) {
    if (items.empty()) {
        return;
    }
    out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
    for (const std::string& item : items) {
        out << YAML::DoubleQuoted << item;
    }
    out << YAML::EndSeq;
}

void emit_commands(YAML::Emitter& out, const char* key, const std::vector<Command>& commands) {
    if (commands.empty()) {
        return;
    }
    out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
    for (const Command& command : commands) {
        if (command.argv.empty()) {
            out << YAML::DoubleQuoted << command.shell;
            continue;
        }
        out << YAML::Flow << YAML::BeginSeq;
        for (const std::string& arg : command.argv) {
            out << YAML::DoubleQuoted << arg;
        }
        out << YAML::EndSeq;
    }
    out << YAML::EndSeq;
}

void emit_write_file(YAML::Emitter& out, const WriteFile& file) {
    out << YAML::BeginMap;
    out << YAML::Key << "path" << YAML::Value << YAML::DoubleQuoted << file.path;
    out << YAML::Key << "content" << YAML::Value << YAML::DoubleQuoted << file.content;
    if (!file.encoding.empty()) {
        out << YAML::Key << "encoding" << YAML::Value << file.encoding;
    }
    out << YAML::Key << "permissions" << YAML::Value << YAML::DoubleQuoted << file.permissions;
    if (!file.owner.empty()) {
        out << YAML::Key << "owner" << YAML::Value << YAML::DoubleQuoted << file.owner;
    }
    if (file.append) {
        out << YAML::Key << "append" << YAML::Value << true;
    }
    out << YAML::EndMap;
}

// The service's environment, for login shells (/etc/profile.d) and for systemd services and
// PAM sessions (/etc/environment).
std::vector<WriteFile> environment_files(const Service& service) {
    if (service.environment.empty()) {
        return {};
    }
    std::string profile = "# Written by holos from the service's environment.\n";
    std::string plain;
    for (const auto& [name, value] : service.environment) {
        profile += "export " + name + "=" + shell_quote(value) + "\n";
        plain += name + "=" + value + "\n";
    }
    return {{"/etc/profile.d/holos-environment.sh", profile, "", "0644", "", false},
            {"/etc/environment", plain, "", "0644", "", true}};
}

void emit_write_files(YAML::Emitter& out, const std::vector<WriteFile>& files) {
    if (files.empty()) {
        return;
    }
    out << YAML::Key << "write_files" << YAML::Value << YAML::BeginSeq;
    for (const WriteFile& file : files) {
        emit_write_file(out, file);
    }
    out << YAML::EndSeq;
}

enum class HostsFile { included, left_out };

// Replaces /etc/hosts in one rename; the lines are arguments, never parsed by the shell.
Command hosts_command(const SeedInput& in) {
    Command command{{"sh", "-c",
                     "printf '%s\\n' \"$@\" >/etc/hosts.holos && mv -f /etc/hosts.holos /etc/hosts",
                     "holos-hosts"},
                    ""};
    for (std::string& line : hosts_lines(in.project, *in.network)) {
        command.argv.push_back(std::move(line));
    }
    return command;
}

std::vector<Command> boot_commands(const SeedInput& in, HostsFile hosts) {
    // The volumes' mounts come first, so everything after them writes onto the volumes.
    std::vector<Command> commands = mount_commands(in.service);
    if (in.network != nullptr && hosts == HostsFile::included) {
        commands.push_back(hosts_command(in));
    }
    const std::vector<Command>& own = in.service.cloud_init.bootcmd;
    commands.insert(commands.end(), own.begin(), own.end());
    return commands;
}

void emit_segment_nic(YAML::Emitter& out, const SeedInput& in) {
    std::string instance = instance_name(in.service, in.index);
    std::optional<std::uint32_t> address =
        in.network != nullptr ? instance_address(*in.network, instance) : std::nullopt;
    if (!address) {
        return;
    }
    out << YAML::Key << "project" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "match" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "macaddress" << YAML::Value << YAML::DoubleQuoted
        << segment_mac(in.project.name, *address);
    out << YAML::EndMap;
    out << YAML::Key << "addresses" << YAML::Value << YAML::BeginSeq << YAML::DoubleQuoted
        << format_ipv4(*address) + "/" + std::to_string(in.network->subnet.prefix_length)
        << YAML::EndSeq;
    out << YAML::EndMap;
}

// cloud-init writes /etc/hosts itself only without a project network, where it names the
// guest alone.
std::string user_data_document(const SeedInput& in, HostsFile hosts) {
    const CloudInit& ci = in.service.cloud_init;
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "hostname" << YAML::Value << instance_name(in.service, in.index);
    out << YAML::Key << "manage_etc_hosts" << YAML::Value << (in.network == nullptr);
    emit_login_user(out, in);
    if (!ci.packages.empty()) {
        out << YAML::Key << "package_update" << YAML::Value << true;
    }
    emit_string_list(out, "packages", ci.packages);
    std::vector<WriteFile> files = environment_files(in.service);
    files.insert(files.end(), ci.write_files.begin(), ci.write_files.end());
    std::vector<Command> runcmd = ci.runcmd;
    if (in.dockerfile != nullptr) {
        files.insert(files.end(), in.dockerfile->files.begin(), in.dockerfile->files.end());
        runcmd.insert(runcmd.begin(), in.dockerfile->run);
    }
    emit_write_files(out, files);
    emit_commands(out, "bootcmd", boot_commands(in, hosts));
    emit_commands(out, "runcmd", runcmd);
    out << YAML::EndMap;
    return "#cloud-config\n" + std::string(out.c_str()) + "\n";
}

} // namespace

std::string user_data(const SeedInput& in) {
    return user_data_document(in, HostsFile::included);
}

std::string network_config(const SeedInput& in) {
    std::string mac = instance_mac(in.project.name, instance_name(in.service, in.index));
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "version" << YAML::Value << 2;
    out << YAML::Key << "ethernets" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "uplink" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "match" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "macaddress" << YAML::Value << YAML::DoubleQuoted << mac;
    out << YAML::EndMap;
    out << YAML::Key << "dhcp4" << YAML::Value << true;
    out << YAML::EndMap;
    emit_segment_nic(out, in);
    out << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

namespace {

std::string instance_id_with(const SeedInput& in, const std::string& network) {
    std::uint64_t hash =
        stable_hash(user_data_document(in, HostsFile::left_out) + "\n---\n" + network);
    return fmt::format("holos-{:016x}", hash);
}

std::string meta_data_with(const SeedInput& in, const std::string& id) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "instance-id" << YAML::Value << id;
    out << YAML::Key << "local-hostname" << YAML::Value << instance_name(in.service, in.index);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

} // namespace

std::string instance_id(const SeedInput& in) {
    return instance_id_with(in, network_config(in));
}

std::string meta_data(const SeedInput& in) {
    return meta_data_with(in, instance_id(in));
}

SeedContent seed_content(const SeedInput& in) {
    std::string network = network_config(in);
    std::string id = instance_id_with(in, network);
    std::vector<SeedFile> files = {{"user-data", user_data(in)},
                                   {"meta-data", meta_data_with(in, id)},
                                   {"network-config", std::move(network)}};
    return {std::move(id), std::move(files)};
}

} // namespace holos
