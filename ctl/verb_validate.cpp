#include "verbs.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

namespace holos::ctl {
namespace {

int run_validate(const std::string& file) {
    ComposeFile compose = load_compose(file);
    int instances = 0;
    for (const Service& service : compose.project.services) {
        instances += service.replicas;
    }
    size_t services = compose.project.services.size();
    std::cout << compose_path(file) << ": ok (project " << compose.project.name << ", "
              << services << (services == 1 ? " service, " : " services, ") << instances
              << (instances == 1 ? " instance)\n" : " instances)\n");
    return kExitOk;
}

} // namespace

VerbRun setup_validate(CLI::App& command, const GlobalOptions&) {
    auto file = std::make_shared<std::string>();
    add_file_option(command, *file);
    return [file] { return run_validate(*file); };
}

} // namespace holos::ctl
