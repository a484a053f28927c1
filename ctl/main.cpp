// holosctl: drives holos projects through systemd. One table of verbs; each verb lives in
// its own verb_*.cpp file.

#include "context.hpp"
#include "verbs.hpp"

#include "error.hpp"
#include "holos_build_config.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string_view>

namespace {

using holos::ctl::Verb;

const std::vector<Verb>& verb_table() {
    static const std::vector<Verb> verbs = {
        {"up", "register a project and start all its VMs", holos::ctl::setup_up},
        {"diff", "print what up would change in a running project, change nothing",
         holos::ctl::setup_diff},
        {"down", "stop a project's VMs, unregister it and remove instance disks",
         holos::ctl::setup_down},
        {"ps", "list the instances of registered projects", holos::ctl::setup_ps},
        {"port", "print the host addresses of an instance's port forwards",
         holos::ctl::setup_port},
        {"install", "register a project persistently; with --enable, start it at boot",
         holos::ctl::setup_install},
        {"uninstall", "register a project only until the next reboot again",
         holos::ctl::setup_uninstall},
        {"start", "start instances of a running project", holos::ctl::setup_start},
        {"stop", "stop instances of a running project, keeping their disks",
         holos::ctl::setup_stop},
        {"restart", "stop, then start instances", holos::ctl::setup_restart},
        {"run", "start a one-off VM from an image, optionally running a command in it",
         holos::ctl::setup_run},
        {"logs", "print the journal of instances, the guest console included",
         holos::ctl::setup_logs},
        {"exec", "run a command or a shell in an instance over SSH", holos::ctl::setup_exec},
        {"cp", "copy a file into or out of an instance", holos::ctl::setup_cp},
        {"console", "attach to an instance's serial console, or print its log",
         holos::ctl::setup_console},
        {"validate", "check a compose file and report every problem", holos::ctl::setup_validate},
        {"config", "print the project as holos will run it, fully resolved",
         holos::ctl::setup_config},
        {"images", "list the image catalogue and the local image store", holos::ctl::setup_images},
        {"pull", "download catalogue images, checked against their upstream checksums",
         holos::ctl::setup_pull},
        {"verify", "re-check stored images against their digests", holos::ctl::setup_verify},
        {"image", "add an image to the store: image import FILE, image build debian:12",
         holos::ctl::setup_image},
        {"import", "write holos.yaml from libvirt domains", holos::ctl::setup_import},
        {"devices", "list the host's PCI devices for passthrough", holos::ctl::setup_devices},
        {"doctor", "check that this host can run holos VMs", holos::ctl::setup_doctor},
    };
    return verbs;
}

// Every verb takes the global flags too, so they work after the verb as well as before it;
// a verb's own flag of the same name wins (run's -v is --volume, as in docker). CLI11's
// fallthrough would pass them up instead, but it breaks verbs that hand the rest of the
// command line on untouched, such as exec.
void add_global_flags(CLI::App& app, holos::ctl::GlobalOptions& global) {
    auto free = [&app](const char* short_name) {
        return app.get_option_no_throw(short_name) == nullptr ? std::string(short_name) + ","
                                                                : std::string();
    };
    if (app.get_option_no_throw("--user") == nullptr) {
        app.add_flag("--user", global.user, "use the calling user's service manager");
    }
    app.add_flag(free("-v") + "--verbose", global.verbose, "print debugging detail");
}

// The global flags take no value, so the first word that is not a flag is the verb. CLI11
// would only say that a subcommand is required.
bool names_an_unknown_verb(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view word = argv[i];
        if (word.starts_with('-')) {
            continue;
        }
        const std::vector<Verb>& verbs = verb_table();
        if (std::none_of(verbs.begin(), verbs.end(),
                         [&](const Verb& verb) { return verb.name == word; })) {
            std::cerr << "holosctl: unknown verb \"" << word
                      << "\"; holosctl --help lists them\n";
            return true;
        }
        return false;
    }
    return false;
}

} // namespace

int main(int argc, char** argv) {
    if (names_an_unknown_verb(argc, argv)) {
        return holos::ctl::kExitUsage;
    }
    CLI::App app{"holosctl: run multi-VM stacks under systemd", "holosctl"};
    app.set_version_flag("--version", HOLOS_VERSION);
    app.require_subcommand(1);
    holos::ctl::GlobalOptions global;
    add_global_flags(app, global);

    holos::ctl::VerbRun run;
    for (const Verb& verb : verb_table()) {
        CLI::App* command = app.add_subcommand(verb.name, verb.summary);
        holos::ctl::VerbRun verb_run = verb.setup(*command, global);
        add_global_flags(*command, global);
        command->callback([&run, verb_run] { run = verb_run; });
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? holos::ctl::kExitOk : holos::ctl::kExitUsage;
    }
    try {
        return run();
    } catch (const holos::ctl::Failure& e) {
        std::cerr << "holosctl: " << e.what() << "\n";
        return e.exit_code();
    } catch (const std::exception& e) {
        std::cerr << "holosctl: " << e.what() << "\n";
        return holos::ctl::kExitFailure;
    }
}
