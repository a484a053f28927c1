// holosctl exec: a command, or an interactive shell, in a running instance over SSH.

#include "verbs.hpp"

#include "guest_ssh.hpp"
#include "target.hpp"

#include "error.hpp"

#include <CLI/CLI.hpp>
#include <memory>
#include <unistd.h>

namespace holos::ctl {
namespace {

// As ssh(1): the remote command's status passes through, so holosctl's own failures to
// connect need a code a command rarely uses.
constexpr int kExitNoConnection = 255;
constexpr int kDefaultWaitS = 60;

struct ExecOptions {
    ProjectChoice choice;
    std::string user;
    int wait_s = kDefaultWaitS;
    bool force_tty = false;
    bool no_tty = false;
};

// The instance and the command after it, as given.
struct ExecWords {
    std::string instance;
    std::vector<std::string> argv; // empty: a login shell
};

// Parsing stops at the first word that is not an option of exec: that is the instance, and
// everything after it is the command, whose own options need no quoting. A "--" right
// after the instance is allowed, as in ssh and docker.
ExecWords exec_words(const CLI::App& command) {
    std::vector<std::string> words = command.remaining();
    if (words.empty()) {
        throw Failure("exec needs an instance: holosctl exec INSTANCE [--] [COMMAND...]",
                      kExitUsage);
    }
    ExecWords out{words.front(), {words.begin() + 1, words.end()}};
    if (!out.argv.empty() && out.argv.front() == "--") {
        out.argv.erase(out.argv.begin());
    }
    return out;
}

int run_exec(const ExecOptions& options, const ExecWords& words, const GlobalOptions& global) {
    Paths paths = paths_for(global.scope());
    LoadedProject loaded = chosen_project(options.choice, paths);
    InstanceUnit instance = chosen_instance(loaded, words.instance);
    bool pty = options.force_tty || (!options.no_tty && isatty(STDIN_FILENO) != 0);
    std::unique_ptr<SshSession> session;
    try {
        session = connect_guest(global, loaded, instance, options.user,
                                std::chrono::seconds(options.wait_s));
    } catch (const Failure& e) {
        throw Failure(e.what(), kExitNoConnection);
    }
    try {
        return session->run(shell_join(words.argv), pty);
    } catch (const Error& e) {
        throw Failure(e.what(), kExitNoConnection);
    }
}

} // namespace

VerbRun setup_exec(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<ExecOptions>();
    add_project_options(command, options->choice);
    command.add_option("-u,--login", options->user,
                       "log in as USER (default: the service's cloud_init.user, else root)");
    command.add_option("-w,--wait", options->wait_s, "seconds to wait for the guest's sshd")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    command.add_flag("-t,--tty", options->force_tty, "use a terminal even when stdin is none");
    command.add_flag("-T,--no-tty", options->no_tty, "never use a terminal");
    command.footer("Usage: holosctl exec [OPTIONS] INSTANCE [--] [COMMAND...]\n"
                   "INSTANCE is web-0, or a service with one replica.");
    command.prefix_command();
    return [options, &command, &global] {
        return run_exec(*options, exec_words(command), global);
    };
}

} // namespace holos::ctl
