#include "target.hpp"

#include "error.hpp"
#include "parse.hpp"
#include "registry.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <set>

namespace holos::ctl {
namespace {

bool has_default_compose_file() {
    std::error_code ec;
    return std::filesystem::exists("holos.yaml", ec) || std::filesystem::exists("holos.yml", ec);
}

// The registered project that was brought up from `file`, if any.
std::optional<std::string> registered_from(const Paths& paths, const std::string& file) {
    std::filesystem::path wanted = std::filesystem::absolute(file).lexically_normal();
    for (const std::string& name : registered_projects(paths)) {
        try {
            if (read_registration(paths, name).source_file.lexically_normal() == wanted) {
                return name;
            }
        } catch (const Error&) {
            // A broken registration cannot be matched by file; --project still reaches it.
        }
    }
    return std::nullopt;
}

std::string only_registered_project(const Paths& paths) {
    std::vector<std::string> registered = registered_projects(paths);
    if (registered.size() == 1) {
        return registered.front();
    }
    if (registered.empty()) {
        throw Failure("no project is running and there is no holos.yaml here; start one with "
                      "holosctl up -f FILE",
                      kExitUsage);
    }
    std::string names;
    for (const std::string& name : registered) {
        names += (names.empty() ? "" : ", ") + name;
    }
    throw Failure("several projects are running (" + names + "); pick one with -p NAME",
                  kExitUsage);
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& word : words) {
        out += (out.empty() ? "" : ", ") + word;
    }
    return out;
}

std::vector<std::string> instance_names(const std::vector<InstanceUnit>& instances) {
    std::vector<std::string> names;
    for (const InstanceUnit& instance : instances) {
        names.push_back(instance.instance);
    }
    return names;
}

} // namespace

void add_project_options(CLI::App& command, ProjectChoice& choice, bool short_file) {
    command.add_option(short_file ? "-f,--file" : "--file", choice.file,
                       "compose file (default: ./holos.yaml)");
    command.add_option("-p,--project", choice.project,
                       short_file ? "project name (instead of -f)"
                                  : "project name (instead of --file)");
}

// The file's registration comes first, so a project stays reachable when its file has
// changed, broken or lost its variables since up.
std::string chosen_project_name(const ProjectChoice& choice, const Paths& paths) {
    if (!choice.project.empty()) {
        return choice.project;
    }
    if (choice.file.empty() && !has_default_compose_file()) {
        return only_registered_project(paths);
    }
    std::string path = compose_path(choice.file);
    if (std::optional<std::string> name = registered_from(paths, path)) {
        return *name;
    }
    ParseResult parsed = parse_project_file(path);
    if (parsed.project) {
        return parsed.project->name;
    }
    throw Failure(path + " has errors; name the project with --project NAME", kExitUsage);
}

LoadedProject chosen_project(const ProjectChoice& choice, const Paths& paths) {
    std::string name = chosen_project_name(choice, paths);
    std::vector<std::string> registered = registered_projects(paths);
    if (std::find(registered.begin(), registered.end(), name) == registered.end()) {
        throw Failure("project " + name + " is not running; start it with holosctl up",
                      kExitUsage);
    }
    LoadResult load = load_registered_project(paths, name);
    if (!load.loaded) {
        throw Failure("project " + name + " cannot be read: " +
                      (load.errors.empty() ? "unknown error" : load.errors.front()));
    }
    return std::move(*load.loaded);
}

std::vector<InstanceUnit> chosen_instances(const LoadedProject& loaded,
                                           const std::vector<std::string>& targets) {
    std::vector<InstanceUnit> all = instance_units(loaded.project);
    if (targets.empty()) {
        return all;
    }
    std::set<std::string> wanted;
    for (const std::string& target : targets) {
        bool matched = false;
        for (const InstanceUnit& instance : all) {
            if (instance.instance == target || instance.service->name == target) {
                wanted.insert(instance.instance);
                matched = true;
            }
        }
        if (!matched) {
            throw Failure("project " + loaded.project.name + " has no service or instance " +
                              target + "; it has " + joined(instance_names(all)),
                          kExitUsage);
        }
    }
    // File order, whatever order the names were given in.
    std::vector<InstanceUnit> chosen;
    std::copy_if(all.begin(), all.end(), std::back_inserter(chosen),
                 [&](const InstanceUnit& instance) { return wanted.contains(instance.instance); });
    return chosen;
}

InstanceUnit chosen_instance(const LoadedProject& loaded, const std::string& target) {
    std::vector<InstanceUnit> chosen = chosen_instances(loaded, {target});
    if (chosen.size() != 1) {
        throw Failure("service " + target + " has " + std::to_string(chosen.size()) +
                          " instances; name one of " + joined(instance_names(chosen)),
                      kExitUsage);
    }
    return chosen.front();
}

} // namespace holos::ctl
