#include "context.hpp"

#include "atomic_file.hpp"
#include "diagnostics.hpp"
#include "error.hpp"
#include "parse.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

namespace holos::ctl {

std::string compose_path(const std::string& given) {
    if (!given.empty()) {
        return given;
    }
    for (const char* candidate : {"holos.yaml", "holos.yml"}) {
        std::error_code ec;
        if (std::filesystem::exists(candidate, ec)) {
            return candidate;
        }
    }
    throw Failure("no holos.yaml or holos.yml in the current directory; pass -f FILE",
                  kExitUsage);
}

ComposeFile load_compose(const std::string& given) {
    std::string path = compose_path(given);
    ParseResult parsed = parse_project_file(path);
    size_t errors = 0;
    for (const Diagnostic& diagnostic : parsed.diagnostics) {
        std::cerr << format_diagnostic(diagnostic) << "\n";
        errors += diagnostic.severity == Severity::error ? 1 : 0;
    }
    if (!parsed.project) {
        throw Failure(path + ": " + std::to_string(errors) +
                      (errors == 1 ? " error" : " errors") + ", nothing was changed");
    }
    try {
        return {std::move(*parsed.project), read_file(path), std::move(parsed.variables_used)};
    } catch (const Error& e) {
        throw Failure(e.what());
    }
}

void add_file_option(CLI::App& command, std::string& file) {
    command.add_option("-f,--file", file, "compose file (default: ./holos.yaml)");
}

} // namespace holos::ctl
