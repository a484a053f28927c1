#include "cloud_init.hpp"

#include "qemu_args.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace holos {
namespace {

void emit_login_user(YAML::Emitter& out, const SeedInput& in) {
    const std::string& user = in.service.cloud_init.user;
    if (user.empty()) {
        // The image's default user gets the key through the top-level list.
        out << YAML::Key << "ssh_authorized_keys" << YAML::Value << YAML::BeginSeq
            << in.public_key << YAML::EndSeq;
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

void emit_write_files(YAML::Emitter& out, const std::vector<WriteFile>& files) {
    if (files.empty()) {
        return;
    }
    out << YAML::Key << "write_files" << YAML::Value << YAML::BeginSeq;
    for (const WriteFile& file : files) {
        out << YAML::BeginMap;
        out << YAML::Key << "path" << YAML::Value << YAML::DoubleQuoted << file.path;
        out << YAML::Key << "content" << YAML::Value << YAML::DoubleQuoted << file.content;
        out << YAML::Key << "permissions" << YAML::Value << YAML::DoubleQuoted
            << file.permissions;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

} // namespace

std::string user_data(const SeedInput& in) {
    const CloudInit& ci = in.service.cloud_init;
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "hostname" << YAML::Value << instance_name(in.service, in.index);
    out << YAML::Key << "manage_etc_hosts" << YAML::Value << true;
    emit_login_user(out, in);
    if (!ci.packages.empty()) {
        out << YAML::Key << "package_update" << YAML::Value << true;
    }
    emit_string_list(out, "packages", ci.packages);
    emit_write_files(out, ci.write_files);
    emit_string_list(out, "runcmd", ci.runcmd);
    out << YAML::EndMap;
    return "#cloud-config\n" + std::string(out.c_str()) + "\n";
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
    out << YAML::EndMap << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string instance_id(const SeedInput& in) {
    std::uint64_t hash = stable_hash(user_data(in) + "\n---\n" + network_config(in));
    return fmt::format("holos-{:016x}", hash);
}

std::string meta_data(const SeedInput& in) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "instance-id" << YAML::Value << instance_id(in);
    out << YAML::Key << "local-hostname" << YAML::Value << instance_name(in.service, in.index);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::vector<SeedFile> seed_files(const SeedInput& in) {
    return {{"user-data", user_data(in)},
            {"meta-data", meta_data(in)},
            {"network-config", network_config(in)}};
}

} // namespace holos
