// holos-instance: the helper that instance units run around QEMU. It is not meant to be
// called by hand; the generated units call it:
//
//   holos-instance [--user] keys PROJECT                  create the project's SSH key pair
//   holos-instance [--user] prepare PROJECT SERVICE INDEX overlay + seed before QEMU starts
//   holos-instance [--user] stop [--grace-seconds N] PROJECT SERVICE INDEX
//                                                         ask the guest to power off
//   holos-instance started PROJECT SERVICE INDEX          register QEMU ($MAINPID) with
//                                                         systemd-machined
//   holos-instance stopped PROJECT SERVICE INDEX          unregister it, take the files back
//
// Its output goes to the unit's journal. Under the system manager prepare, started and
// stopped run as root outside the unit's sandbox; stop runs inside it, as QEMU's user.

#include "atomic_file.hpp"
#include "error.hpp"
#include "generate.hpp"
#include "holos_build_config.hpp"
#include "instance_owner.hpp"
#include "instance_prep.hpp"
#include "machined.hpp"
#include "qmp.hpp"
#include "ssh_keys.hpp"
#include "unit_graph.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <utility>

namespace {

struct Arguments {
    bool user = false;
    std::string project;
    std::string service;
    int index = 0;
    int grace_seconds = static_cast<int>(holos::kDefaultStopGraceMs / 1000);
};

holos::Paths paths_of(const Arguments& args) {
    return holos::paths_for(args.user ? holos::Scope::user : holos::Scope::system);
}

std::string instance_of(const Arguments& args) {
    return args.service + "-" + std::to_string(args.index);
}

// systemd creates the runtime directory for the unit's user before any command runs, so its
// owner is the dynamic user QEMU is about to run as.
void hand_to_instance_user(const holos::Paths& paths, const Arguments& args) {
    std::string instance = instance_of(args);
    holos::Owner owner = holos::owner_of(paths.instance_runtime(args.project, instance));
    holos::set_instance_owner(paths.instance_state(args.project, instance), owner);
    std::cout << "instance files handed to uid " << owner.uid << "\n";
}

int make_keys(const Arguments& args) {
    holos::Paths paths = paths_of(args);
    holos::make_directory(paths.project_state(args.project), 0700);
    holos::ensure_key_pair(paths.ssh_key(args.project), "holos-" + args.project);
    return 0;
}

int prepare(const Arguments& args) {
    holos::Paths paths = paths_of(args);
    holos::LoadResult load = holos::load_registered_project(paths, args.project);
    if (!load.loaded) {
        for (const std::string& error : load.errors) {
            std::cerr << error << "\n";
        }
        return 1;
    }
    const holos::Project& project = load.loaded->project;
    const holos::Service* service = holos::find_service(project, args.service);
    if (service == nullptr || args.index < 0 || args.index >= service->replicas) {
        std::cerr << "project " << args.project << " has no instance " << args.service << "-"
                  << args.index << "\n";
        return 1;
    }
    std::string key = holos::read_public_key(paths.ssh_key(args.project));
    holos::PrepareRequest request{paths, project, *service, args.index, key,
                                  HOLOS_QEMU_IMG_BINARY};
    for (const std::string& action : holos::prepare_instance(request)) {
        std::cout << action << "\n";
    }
    if (paths.scope == holos::Scope::system) {
        hand_to_instance_user(paths, args);
    }
    return 0;
}

// A VM that machined does not know still runs; the journal says why it is not listed.
int started(const Arguments& args) {
    std::string name = holos::machine_name(args.project, instance_of(args));
    const char* main_pid = std::getenv("MAINPID");
    if (main_pid == nullptr) {
        std::cout << "not registered with systemd-machined: MAINPID is not set\n";
        return 0;
    }
    try {
        holos::register_machine(name, static_cast<pid_t>(std::stoul(main_pid)));
        std::cout << "registered machine " << name << " (leader " << main_pid << ")\n";
    } catch (const std::exception& e) {
        std::cout << "not registered with systemd-machined: " << e.what() << "\n";
    }
    return 0;
}

int stopped(const Arguments& args) {
    holos::Paths paths = paths_of(args);
    std::string instance = instance_of(args);
    try {
        holos::unregister_machine(holos::machine_name(args.project, instance));
    } catch (const holos::Error& e) {
        std::cout << e.what() << "\n";
    }
    std::error_code ec;
    if (paths.scope == holos::Scope::system &&
        std::filesystem::is_directory(paths.instance_state(args.project, instance), ec)) {
        holos::set_instance_owner(paths.instance_state(args.project, instance), holos::Owner{});
    }
    return 0;
}

int stop(const Arguments& args) {
    holos::Paths paths = paths_of(args);
    std::string instance = instance_of(args);
    holos::InstanceFiles files = holos::instance_files(paths, args.project, instance);
    auto start = std::chrono::steady_clock::now();
    if (holos::power_down(files.qmp_socket, std::chrono::seconds(args.grace_seconds))) {
        auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
        std::cout << "guest powered off after " << took.count() << " s\n";
    } else {
        std::cout << "guest did not power off within " << args.grace_seconds
                  << " s; QEMU will be terminated\n";
    }
    return 0;
}

void add_instance_arguments(CLI::App& command, Arguments& args) {
    command.add_option("project", args.project)->required();
    command.add_option("service", args.service)->required();
    command.add_option("index", args.index)->required();
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"holos-instance: helper run by holos instance units", "holos-instance"};
    app.require_subcommand(1);
    Arguments args;
    app.add_flag("--user", args.user);
    CLI::App* keys = app.add_subcommand("keys");
    keys->add_option("project", args.project)->required();
    CLI::App* prepare_command = app.add_subcommand("prepare");
    add_instance_arguments(*prepare_command, args);
    CLI::App* stop_command = app.add_subcommand("stop");
    stop_command->add_option("--grace-seconds", args.grace_seconds);
    add_instance_arguments(*stop_command, args);
    CLI::App* started_command = app.add_subcommand("started");
    add_instance_arguments(*started_command, args);
    CLI::App* stopped_command = app.add_subcommand("stopped");
    add_instance_arguments(*stopped_command, args);
    CLI11_PARSE(app, argc, argv);

    const std::pair<CLI::App*, int (*)(const Arguments&)> runs[] = {
        {keys, make_keys},          {prepare_command, prepare}, {stop_command, stop},
        {started_command, started}, {stopped_command, stopped},
    };
    try {
        for (const auto& [command, run] : runs) {
            if (command->parsed()) {
                return run(args);
            }
        }
        return 2; // CLI11 requires one subcommand
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}
