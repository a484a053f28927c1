#include "registry.hpp"

#include "atomic_file.hpp"
#include "error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace holos {
namespace {

void remove_tree(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) {
        throw Error("removing " + path.string() + ": " + ec.message());
    }
}

std::filesystem::path write_staging_dir(const Paths& paths, const Registration& registration,
                                        std::string_view compose_text) {
    std::string pattern = (paths.projects_dir() / ("." + registration.project + ".XXXXXX"));
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw system_error("creating a staging directory in " + paths.projects_dir().string(),
                           errno);
    }
    std::filesystem::path staging = pattern;
    try {
        write_file_atomic(staging / kSnapshotFileName, compose_text, 0644);
        write_file_atomic(staging / kRegistrationFileName, registration_to_json(registration),
                          0644);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove_all(staging, ignored);
        throw;
    }
    return staging;
}

// Puts `staging` in place of `target`. An existing target is swapped out in one step
// (RENAME_EXCHANGE) and then removed, so the target path never disappears or half-exists.
void swap_into_place(const std::filesystem::path& staging, const std::filesystem::path& target) {
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
        return;
    }
    if (errno != EEXIST) {
        throw system_error("registering " + target.string(), errno);
    }
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) < 0) {
        throw system_error("replacing " + target.string(), errno);
    }
    remove_tree(staging);
}

} // namespace

AllocatedPorts allocated_ports_of(const Registration& registration, const std::string& instance) {
    auto found = registration.allocated_ports.find(instance);
    return found == registration.allocated_ports.end() ? AllocatedPorts{} : found->second;
}

std::string registration_to_json(const Registration& registration) {
    nlohmann::json json = {
        {"project", registration.project},
        {"source_file", registration.source_file.string()},
        {"variables", registration.variables},
        {"ssh_ports", registration.ssh_ports},
        {"allocated_ports", registration.allocated_ports},
    };
    if (registration.network) {
        json["network"] = network_to_json(*registration.network);
    }
    return json.dump(2) + "\n";
}

Registration registration_from_json(std::string_view text, const std::string& origin) {
    try {
        nlohmann::json json = nlohmann::json::parse(text);
        Registration registration;
        registration.project = json.at("project").get<std::string>();
        registration.source_file = json.at("source_file").get<std::string>();
        registration.variables = json.at("variables").get<std::map<std::string, std::string>>();
        registration.ssh_ports =
            json.at("ssh_ports").get<std::map<std::string, std::uint16_t>>();
        registration.allocated_ports =
            json.at("allocated_ports").get<std::map<std::string, AllocatedPorts>>();
        if (json.contains("network")) {
            registration.network = network_from_json(json["network"]);
        }
        return registration;
    } catch (const nlohmann::json::exception& e) {
        throw Error("reading " + origin + ": " + e.what());
    } catch (const Error& e) {
        throw Error("reading " + origin + ": " + e.what());
    }
}

void write_registration(const Paths& paths, const Registration& registration,
                        std::string_view compose_text) {
    make_directory(paths.projects_dir(), 0755);
    std::filesystem::path staging = write_staging_dir(paths, registration, compose_text);
    try {
        swap_into_place(staging, paths.registration_dir(registration.project));
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove_all(staging, ignored);
        throw;
    }
}

std::vector<std::string> registered_projects(const Paths& paths) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(paths.projects_dir(), ec)) {
        std::string name = entry.path().filename().string();
        if (!name.starts_with(".") && entry.is_directory()) {
            names.push_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

Registration read_registration(const Paths& paths, const std::string& project) {
    std::filesystem::path file = paths.registration_dir(project) / kRegistrationFileName;
    return registration_from_json(read_file(file), file.string());
}

void remove_registration(const Paths& paths, const std::string& project) {
    remove_tree(paths.registration_dir(project));
}

} // namespace holos
