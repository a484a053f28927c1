// What every holosctl verb shares: global options, exit codes, and loading a compose file
// with its diagnostics printed.
#pragma once

#include "paths.hpp"
#include "project.hpp"

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace CLI {
class App;
}

namespace holos::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct GlobalOptions {
    bool user = false; // talk to the calling user's manager instead of the system's
    bool verbose = false;

    Scope scope() const { return user ? Scope::user : Scope::system; }
};

// A verb's runner, created when its subcommand is set up and called after parsing.
using VerbRun = std::function<int()>;
using VerbSetup = std::function<VerbRun(CLI::App& command, const GlobalOptions& global)>;

struct Verb {
    const char* name;
    const char* summary;
    VerbSetup setup;
};

// A failure already explained to the user: holosctl prints `what()` once and exits with
// `exit_code`.
class Failure : public std::runtime_error {
public:
    explicit Failure(const std::string& message, int exit_code = kExitFailure)
        : std::runtime_error(message), exit_code_(exit_code) {}
    int exit_code() const { return exit_code_; }

private:
    int exit_code_;
};

struct ComposeFile {
    Project project;
    std::string text; // the file as read, for the registration snapshot
    std::map<std::string, std::string> variables; // interpolated, with the values used
};

// The -f value, or holos.yaml / holos.yml in the current directory.
std::string compose_path(const std::string& given);

// Parses a compose file and prints every diagnostic to stderr. Throws Failure when the file
// has errors.
ComposeFile load_compose(const std::string& given);

// Adds the -f/--file option to a verb.
void add_file_option(CLI::App& command, std::string& file);

} // namespace holos::ctl
