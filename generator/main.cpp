// holos-generator: turns every registered holos project into systemd units.
//
// systemd runs generators very early (at boot and on every daemon-reload), before most of
// the system is up. So this program does no D-Bus, no network and no image work: it only
// reads the registrations under the runtime projects directory and /etc/holos/holos.conf,
// and writes unit files into the first ("normal") output directory. Each file is written
// atomically, and a broken project is skipped with a message to the kernel log so that it
// never stops the other projects or the boot.
//
//   holos-generator NORMAL_DIR [EARLY_DIR LATE_DIR]   (as systemd calls it)
//   holos-generator --dry-run FILE [--accel A] [--user] [--enable]
//                                                      (print the units for a compose file)

#include "generator_log.hpp"
#include "generator_output.hpp"

#include "diagnostics.hpp"
#include "generate.hpp"
#include "network_allocation.hpp"
#include "holos_build_config.hpp"
#include "parse.hpp"
#include "settings.hpp"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string_view>

namespace {

holos::Scope manager_scope() {
    // systemd 251+ tells generators which manager runs them.
    const char* scope = std::getenv("SYSTEMD_SCOPE");
    return scope != nullptr && std::strcmp(scope, "user") == 0 ? holos::Scope::user
                                                               : holos::Scope::system;
}

holos::GenerateOptions options_for(const holos::Paths& paths, holos::GeneratorLog& log) {
    std::vector<std::string> errors;
    holos::GenerateOptions options = holos::host_generate_options(paths, errors);
    for (const std::string& error : errors) {
        log.error(error + " (using the default)");
    }
    return options;
}

struct DryRun {
    const char* file = nullptr;
    const char* accel = nullptr; // the configured one when unset
    bool user = false;           // as the user manager would run it
    bool enable = false;         // as an installed project enabled at boot
};

int dry_run(const DryRun& request) {
    holos::GeneratorLog log(/*to_kmsg=*/false);
    holos::ParseResult parsed = holos::parse_project_file(request.file);
    for (const holos::Diagnostic& diagnostic : parsed.diagnostics) {
        std::cerr << holos::format_diagnostic(diagnostic) << "\n";
    }
    if (!parsed.project) {
        return 1;
    }
    holos::Scope scope = request.user ? holos::Scope::user : manager_scope();
    holos::GenerateOptions options = options_for(holos::paths_for(scope), log);
    if (request.accel != nullptr) {
        options.accel = request.accel;
    }
    holos::GraphContext context =
        holos::graph_context(options, parsed.project->source_file, nullptr);
    // What a first `up` gives when no other project is registered.
    context.network = holos::allocate_network(*parsed.project, nullptr, {});
    context.start_at_boot = request.enable;
    holos::UnitSet units = holos::project_units(*parsed.project, context);
    holos::print_units(std::cout, units);
    return 0;
}

void write_project(const char* normal_dir, const holos::ProjectUnits& project,
                   holos::GeneratorLog& log) {
    try {
        holos::write_units(normal_dir, project.units);
    } catch (const std::exception& e) {
        log.error("writing units of project " + project.project + ": " + e.what());
    }
}

int generate(const char* normal_dir) {
    holos::GeneratorLog log(/*to_kmsg=*/true);
    try {
        holos::GenerateOptions options = options_for(holos::paths_for(manager_scope()), log);
        for (const holos::ProjectUnits& project : holos::generate_all(options)) {
            for (const std::string& error : project.errors) {
                log.error("skipping project " + project.project + ": " + error);
            }
            if (project.errors.empty()) {
                write_project(normal_dir, project, log);
            }
        }
    } catch (const std::exception& e) {
        log.error(e.what());
        return 1;
    }
    return 0;
}

constexpr const char* kUsage =
    "usage: holos-generator NORMAL_DIR [EARLY_DIR LATE_DIR]\n"
    "       holos-generator --dry-run FILE [--accel kvm|tcg] [--user] [--enable]\n";

int usage_error() {
    std::cerr << kUsage;
    return 2;
}

// Options only exist for --dry-run; anything else that starts with '-' is a mistake, never
// an output directory.
int run_dry_run(int argc, char** argv) {
    if (argc < 3) {
        return usage_error();
    }
    DryRun request;
    request.file = argv[2];
    for (int i = 3; i < argc; ++i) {
        std::string_view option = argv[i];
        if (option == "--user") {
            request.user = true;
        } else if (option == "--enable") {
            request.enable = true;
        } else if (option == "--accel" && i + 1 < argc &&
                   (std::strcmp(argv[i + 1], "kvm") == 0 || std::strcmp(argv[i + 1], "tcg") == 0)) {
            request.accel = argv[++i];
        } else {
            return usage_error();
        }
    }
    return dry_run(request);
}

} // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], "--help") == 0) {
        std::cout << kUsage;
        return 0;
    }
    if (argc >= 2 && std::strcmp(argv[1], "--dry-run") == 0) {
        return run_dry_run(argc, argv);
    }
    bool directories = argc == 2 || argc == 4;
    for (int i = 1; directories && i < argc; ++i) {
        directories = argv[i][0] == '/';
    }
    return directories ? generate(argv[1]) : usage_error();
}
