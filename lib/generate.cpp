#include "generate.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "holos_build_config.hpp"
#include "parse.hpp"
#include "settings.hpp"

#include <set>

namespace holos {

LoadResult load_registered_project(const Paths& paths, const std::string& name) {
    LoadResult result;
    try {
        Registration registration = read_registration(paths, name);
        std::filesystem::path snapshot = snapshot_file(paths, registration);
        ParseResult parsed = parse_project_text(read_file(snapshot), snapshot.string(),
                                                registration.source_file, registration.variables);
        for (const Diagnostic& diagnostic : parsed.diagnostics) {
            if (diagnostic.severity == Severity::error) {
                result.errors.push_back(format_diagnostic(diagnostic));
            }
        }
        if (parsed.project && parsed.project->name != name) {
            result.errors.push_back(snapshot.string() + ": project name \"" +
                                    parsed.project->name + "\" does not match its registration");
        }
        if (result.errors.empty()) {
            result.loaded = LoadedProject{std::move(registration), std::move(*parsed.project)};
        }
    } catch (const Error& e) {
        result.errors.push_back(e.what());
    }
    return result;
}

GenerateOptions host_generate_options(const Paths& paths, std::vector<std::string>& errors) {
    SettingsResult settings = load_settings(paths);
    errors.insert(errors.end(), settings.errors.begin(), settings.errors.end());
    return {paths,
            settings.settings.accel,
            HOLOS_LIBEXEC_DIR,
            HOLOS_QEMU_BINARY,
            HOLOS_VIRTIOFSD_BINARY,
            settings.settings.health_bypass};
}

GraphContext graph_context(const GenerateOptions& options, const std::filesystem::path& source,
                           const Registration* registration) {
    GraphContext context{options.paths, options.accel, options.libexec_dir, options.qemu_binary,
                         source, {}, {}, std::nullopt, options.virtiofsd_binary,
                         options.health_bypass};
    if (registration != nullptr) {
        context.ssh_ports = registration->ssh_ports;
        context.allocated_ports = registration->allocated_ports;
        context.network = registration->network;
        context.start_at_boot =
            registration->lifetime == Lifetime::installed && registration->enabled;
    }
    return context;
}

std::vector<ProjectUnits> generate_all(const GenerateOptions& options) {
    std::vector<ProjectUnits> all;
    std::set<std::string> claimed_units;
    for (const std::string& name : registered_projects(options.paths)) {
        ProjectUnits entry{name, {}, {}};
        LoadResult load = load_registered_project(options.paths, name);
        entry.errors = load.errors;
        if (load.loaded) {
            for (const std::string& unit : project_unit_names(load.loaded->project)) {
                if (!claimed_units.insert(unit).second) {
                    entry.errors.push_back("project " + name + ": unit " + unit +
                                           " is already defined by another project");
                }
            }
        }
        if (entry.errors.empty()) {
            const Registration& registration = load.loaded->registration;
            entry.units = project_units(
                load.loaded->project,
                graph_context(options, snapshot_file(options.paths, registration), &registration));
        }
        all.push_back(std::move(entry));
    }
    return all;
}

} // namespace holos
