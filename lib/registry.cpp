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

std::filesystem::path write_staging_dir(const std::filesystem::path& projects_dir,
                                        const Registration& registration,
                                        std::string_view compose_text) {
    std::string pattern = projects_dir / ("." + registration.project + ".XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw system_error("creating a staging directory in " + projects_dir.string(), errno);
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
        {"enabled", registration.enabled},
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
        // Absent in registrations written before projects could be installed.
        registration.enabled = json.value("enabled", false);
        return registration;
    } catch (const nlohmann::json::exception& e) {
        throw Error("reading " + origin + ": " + e.what());
    } catch (const Error& e) {
        throw Error("reading " + origin + ": " + e.what());
    }
}

void write_registration(const Paths& paths, const Registration& registration,
                        std::string_view compose_text) {
    std::filesystem::path projects_dir = paths.projects_dir(registration.lifetime);
    make_directory(projects_dir, 0755);
    std::filesystem::path staging = write_staging_dir(projects_dir, registration, compose_text);
    try {
        swap_into_place(staging, projects_dir / registration.project);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove_all(staging, ignored);
        throw;
    }
    Lifetime other = registration.lifetime == Lifetime::installed ? Lifetime::runtime
                                                                  : Lifetime::installed;
    remove_tree(paths.projects_dir(other) / registration.project);
}

std::vector<std::string> registered_projects(const Paths& paths) {
    std::vector<std::string> names;
    for (Lifetime lifetime : {Lifetime::runtime, Lifetime::installed}) {
        std::error_code ec;
        for (const auto& entry :
             std::filesystem::directory_iterator(paths.projects_dir(lifetime), ec)) {
            std::string name = entry.path().filename().string();
            if (!name.starts_with(".") && entry.is_directory()) {
                names.push_back(name);
            }
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::filesystem::path registration_dir(const Paths& paths, const std::string& project) {
    std::filesystem::path installed = paths.projects_dir(Lifetime::installed) / project;
    std::error_code ec;
    return std::filesystem::is_directory(installed, ec)
               ? installed
               : paths.projects_dir(Lifetime::runtime) / project;
}

std::filesystem::path snapshot_file(const Paths& paths, const Registration& registration) {
    return paths.projects_dir(registration.lifetime) / registration.project / kSnapshotFileName;
}

Registration read_registration(const Paths& paths, const std::string& project) {
    std::filesystem::path dir = registration_dir(paths, project);
    std::filesystem::path file = dir / kRegistrationFileName;
    Registration registration = registration_from_json(read_file(file), file.string());
    registration.lifetime = dir.parent_path() == paths.projects_dir(Lifetime::installed)
                                ? Lifetime::installed
                                : Lifetime::runtime;
    return registration;
}

void remove_registration(const Paths& paths, const std::string& project) {
    for (Lifetime lifetime : {Lifetime::installed, Lifetime::runtime}) {
        remove_tree(paths.projects_dir(lifetime) / project);
    }
}

} // namespace holos
