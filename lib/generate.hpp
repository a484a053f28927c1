// From registrations to unit files: what the generator does, kept in lib/ so holosctl can
// run the same checks before it registers a project.
#pragma once

#include "diagnostics.hpp"
#include "paths.hpp"
#include "project.hpp"
#include "registry.hpp"
#include "unit_graph.hpp"

#include <optional>
#include <string>
#include <vector>

namespace holos {

struct LoadedProject {
    Registration registration;
    Project project;
};

struct LoadResult {
    std::optional<LoadedProject> loaded;
    std::vector<std::string> errors; // one line each, ready to print
};

// Reads and parses a registered project's snapshot. Never throws.
LoadResult load_registered_project(const Paths& paths, const std::string& name);

// The generator's view of one project: its units, or why it is skipped.
struct ProjectUnits {
    std::string project;
    UnitSet units;
    std::vector<std::string> errors;
};

struct GenerateOptions {
    Paths paths;
    std::string accel;
    std::string libexec_dir;
    std::string qemu_binary;
    std::string virtiofsd_binary;
    bool health_bypass = false;
};

// Builds the units of every registered project. A project whose snapshot is broken, or
// whose unit names clash with a project earlier in name order, gets errors instead of
// units; the others are unaffected.
std::vector<ProjectUnits> generate_all(const GenerateOptions& options);

// The options for this host: its settings (errors in holos.conf are returned in `errors`,
// and the defaults used) and the install paths of holos and QEMU.
GenerateOptions host_generate_options(const Paths& paths, std::vector<std::string>& errors);

GraphContext graph_context(const GenerateOptions& options, const std::filesystem::path& source,
                           const Registration* registration);

} // namespace holos
