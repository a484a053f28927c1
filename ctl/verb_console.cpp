// holosctl console: the local terminal attached to an instance's serial console (the guest's
// ttyS0, where its kernel logs and a getty runs), or that console's log printed.
//
// Attached to a terminal, the terminal is raw, so Ctrl-C and Ctrl-Z reach the guest; only the
// escape key detaches. Signals from elsewhere (a closed window, kill) end the copy through a
// signalfd, so the terminal is restored on every way out.

#include "verbs.hpp"

#include "target.hpp"

#include "console_copy.hpp"
#include "console_socket.hpp"
#include "error.hpp"
#include "stop_signals.hpp"
#include "systemd_manager.hpp"
#include "terminal.hpp"

#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>
#include <unistd.h>

namespace holos::ctl {
namespace {

constexpr int kExitInterrupted = 130;
constexpr std::chrono::milliseconds kFollowInterval{250};

struct ConsoleOptions {
    ProjectChoice choice;
    std::string escape = "^]";
    bool log = false;
    bool follow = false;
    std::string instance;
};

// Why there is no console socket to connect to, with what to try.
Failure not_running(const GlobalOptions& global, const InstanceUnit& instance) {
    std::string state;
    try {
        state = SystemdManager(global.scope()).unit_state(instance.unit).active_state;
    } catch (const Error&) {
        // The unit's state only makes the message more precise.
    }
    if (state == "activating" || state == "active" || state == "reloading") {
        return Failure(instance.instance + " has no console yet (" + instance.unit + " is " +
                       state + "); try again in a moment");
    }
    return Failure(instance.instance + " is not running" +
                   (state.empty() ? "" : " (" + instance.unit + " is " + state + ")") +
                   "; see holosctl ps, or start it with holosctl up");
}

int report_end(CopyEnd end, const std::string& name, bool tty) {
    if (tty) {
        std::cerr << "\ndetached from " << name << "\n";
    }
    switch (end) {
    case CopyEnd::escape:
    case CopyEnd::input_closed:
        return kExitOk;
    case CopyEnd::console_closed:
        throw Failure("the console of " + name + " closed: the VM stopped");
    case CopyEnd::stopped:
        return kExitInterrupted;
    }
    return kExitFailure;
}

std::string attach_hint(const std::string& name, EscapeKey escape) {
    if (!escape) {
        return "attached to " + name + "; no escape key, end holosctl with a signal to detach";
    }
    return "attached to " + name + "; press " + escape_key_name(*escape) + " to detach";
}

// Without a terminal the input is data (a script, a file): no raw mode, no escape key, and
// the end of input detaches.
int attach(int socket, const std::string& name, EscapeKey escape) {
    // A closed stdout must be an error that restores the terminal, not a silent death.
    std::signal(SIGPIPE, SIG_IGN);
    StopSignals signals;
    bool tty = is_terminal(STDIN_FILENO);
    std::optional<RawTerminal> raw;
    if (tty) {
        std::cerr << attach_hint(name, escape) << std::endl;
        raw.emplace(STDIN_FILENO);
    }
    ConsoleEnds ends{STDIN_FILENO, STDOUT_FILENO, socket, signals.fd()};
    CopyEnd end = copy_console(ends, tty ? escape : std::nullopt);
    if (raw) {
        raw->restore();
    }
    return report_end(end, name, tty);
}

// Prints what the file holds beyond `offset`; returns the new offset.
std::streamoff print_from(const std::filesystem::path& path, std::streamoff offset) {
    std::ifstream log(path, std::ios::binary);
    log.seekg(offset);
    std::cout << log.rdbuf() << std::flush;
    log.clear();
    std::streamoff end = log.tellg();
    return end < 0 ? offset : end;
}

// --follow ends with the process, by a signal, like tail -f.
int print_log(const std::filesystem::path& path, const std::string& name, bool follow) {
    std::ifstream log(path, std::ios::binary);
    if (!log) {
        throw Failure(name + " has no console log (" + path.string() +
                      "); it is written from the instance's first start");
    }
    std::streamoff offset = print_from(path, 0);
    while (follow) {
        std::this_thread::sleep_for(kFollowInterval);
        offset = print_from(path, offset);
    }
    return kExitOk;
}

int run_console(const ConsoleOptions& options, const GlobalOptions& global) {
    EscapeKey escape;
    if (!parse_escape_key(options.escape, escape)) {
        throw Failure("--escape \"" + options.escape + "\": expected ^X, one character or none",
                      kExitUsage);
    }
    Paths paths = paths_for(global.scope());
    LoadedProject loaded = chosen_project(options.choice, paths);
    InstanceUnit instance = chosen_instance(loaded, options.instance);
    InstanceFiles files = instance_files(paths, loaded.project.name, instance.instance);
    if (options.log) {
        return print_log(files.console_log, instance.instance, options.follow);
    }

    ConsoleConnection connection = connect_console(files.console_socket);
    if (connection.status == ConsoleStatus::not_listening) {
        throw not_running(global, instance);
    }
    if (connection.status == ConsoleStatus::busy) {
        throw Failure("the console of " + instance.instance +
                      " is in use by another client; QEMU serves one at a time, detach that one "
                      "first");
    }
    return attach(connection.socket.get(), instance.instance, escape);
}

} // namespace

VerbRun setup_console(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<ConsoleOptions>();
    add_project_options(command, options->choice);
    command.add_option("--escape", options->escape, "key that detaches: ^X, one character, none")
        ->capture_default_str();
    command.add_flag("--log", options->log, "print the console log instead of attaching");
    command.add_flag("--follow", options->follow, "with --log, keep printing what is appended")
        ->needs(command.get_option("--log"));
    command.add_option("instance", options->instance, "instance (web-0) or one-replica service")
        ->required();
    return [options, &global] { return run_console(*options, global); };
}

} // namespace holos::ctl
