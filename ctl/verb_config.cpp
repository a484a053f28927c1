// holosctl config: the project as holos will run it, after defaults, interpolation and path
// resolution, as a holos.yaml that reads back to the same project (or as JSON).
#include "verbs.hpp"

#include "project_output.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

namespace holos::ctl {
namespace {

struct ConfigOptions {
    std::string file;
    bool json = false;
};

int run_config(const ConfigOptions& options) {
    ComposeFile compose = load_compose(options.file);
    if (options.json) {
        // The parser only lets UTF-8 through; replacing stays a safety net for the dump.
        nlohmann::json json = project_to_json(compose.project);
        std::cout << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
        std::cout << project_to_yaml(compose.project);
    }
    return kExitOk;
}

} // namespace

VerbRun setup_config(CLI::App& command, const GlobalOptions&) {
    auto options = std::make_shared<ConfigOptions>();
    add_file_option(command, options->file);
    command.add_flag("--json", options->json, "print JSON instead of YAML");
    return [options] { return run_config(*options); };
}

} // namespace holos::ctl
