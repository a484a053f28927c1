// holos-instance: the helper that instance units run around QEMU. It is not meant to be
// called by hand; the generated units call it:
//
//   holos-instance [--user] keys PROJECT                  create the project's SSH key pair
//   holos-instance [--user] prepare PROJECT SERVICE INDEX overlay + seed before QEMU starts
//   holos-instance [--user] stop [--grace-seconds N] PROJECT SERVICE INDEX
//                                                         ask the guest to power off
//   holos-instance [--user] console-log PROJECT SERVICE INDEX
//                                                         copy the serial console to the journal
//   holos-instance [--user] pull IMAGE                    pull a catalogue image unless the
//                                                         store has it
//   holos-instance [--user] volume --size BYTES PROJECT VOLUME
//                                                         create a named volume if missing
//   holos-instance [--user] health [--bypass] --interval-ms N --timeout-ms N --retries N
//                  --start-period-ms N --login USER PROJECT SERVICE INDEX -- COMMAND...
//                                                         probe the guest (see instance_health)
//
// Its output goes to the unit's journal.

#include "pull_progress.hpp"

#include "atomic_file.hpp"
#include "console_follow.hpp"
#include "error.hpp"
#include "generate.hpp"
#include "holos_build_config.hpp"
#include "image_pull.hpp"
#include "instance_health.hpp"
#include "instance_prep.hpp"
#include "journal.hpp"
#include "qmp.hpp"
#include "ssh_keys.hpp"
#include "stop_signals.hpp"
#include "unit_graph.hpp"
#include "unit_names.hpp"
#include "volume_store.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>

namespace {

struct Arguments {
    bool user = false;
    std::string project;
    std::string service;
    int index = 0;
    int grace_seconds = static_cast<int>(holos::kDefaultStopGraceMs / 1000);
    std::string image;
    std::string volume;
    std::uint64_t size_bytes = 0;
    holos::HealthRun health;
};

holos::Paths paths_of(const Arguments& args) {
    return holos::paths_for(args.user ? holos::Scope::user : holos::Scope::system);
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
    if (const std::optional<holos::ProjectNetwork>& network = load.loaded->registration.network) {
        request.network = &*network;
    }
    for (const std::string& action : holos::prepare_instance(request)) {
        std::cout << action << "\n";
    }
    return 0;
}

// systemd sets $MAINPID for ExecStop= only while the main process (QEMU) is alive.
bool qemu_running() {
    const char* pid = std::getenv("MAINPID");
    return pid != nullptr && pid[0] != '\0';
}

int stop(const Arguments& args) {
    if (!qemu_running()) {
        std::cout << "QEMU has already exited\n";
        return 0;
    }
    holos::Paths paths = paths_of(args);
    std::string instance = args.service + "-" + std::to_string(args.index);
    holos::InstanceFiles files = holos::instance_files(paths, args.project, instance);
    auto start = std::chrono::steady_clock::now();
    bool off = holos::power_down(files.qmp_socket, std::chrono::seconds(args.grace_seconds));
    auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    if (off) {
        std::cout << "guest powered off after " << took.count() << " s\n";
    } else if (took.count() + 1 < args.grace_seconds) {
        std::cout << "QEMU did not take the power-off request on " << files.qmp_socket.string()
                  << "; systemd terminates it\n";
    } else {
        std::cout << "guest did not power off within " << args.grace_seconds
                  << " s; systemd terminates QEMU\n";
    }
    return 0;
}

// Runs until its unit is stopped (SIGTERM), which happens after QEMU has stopped, so the
// guest's last words are copied too.
int console_log(const Arguments& args) {
    holos::Paths paths = paths_of(args);
    std::string instance = args.service + "-" + std::to_string(args.index);
    holos::ConsoleLineOrigin origin{paths.scope, args.project, instance,
                                    holos::instance_unit(args.project, args.service,
                                                         args.index)};
    holos::StopSignals signals;
    holos::follow_console_log(holos::instance_files(paths, args.project, instance).console_log,
                              signals.fd(), [&origin](const std::string& line) {
                                  holos::journal_console_line(origin, line);
                              });
    return 0;
}

// The image unit's job: nothing when the store has the image, so a start needs no network
// once the image is here; otherwise a pull, logged in plain lines to the journal.
int pull(const Arguments& args) {
    holos::Paths paths = paths_of(args);
    holos::ImageStore store(paths.image_store());
    std::string problem;
    std::optional<holos::ImageReference> reference =
        holos::parse_image_reference(args.image, problem);
    if (!reference) {
        std::cerr << "\"" << args.image << "\" is not an image name: " << problem << "\n";
        return 1;
    }
    if (std::optional<holos::StoredImage> image = store.find(*reference)) {
        std::error_code ec;
        std::filesystem::path blob = store.blob_path(image->sha256);
        if (std::filesystem::is_regular_file(blob, ec)) {
            std::cout << image->reference.str() << " is in the store: " << blob.string() << "\n";
            return 0;
        }
    }
    const holos::CatalogueEntry* entry = holos::find_in_catalogue(*reference);
    if (entry == nullptr) {
        std::cerr << "image " << reference->str() << " is not in the image store and not in "
                  << "the catalogue; add it with holosctl image import FILE --name "
                  << reference->str() << "\n";
        return 1;
    }
    std::vector<std::string> errors;
    holos::PullOptions options = holos::host_pull_options(paths, errors);
    for (const std::string& error : errors) {
        std::cerr << error << " (using the default)\n";
    }
    holos::ctl::PullProgress progress(entry->reference.str(), /*terminal=*/false);
    holos::PullOutcome outcome = holos::pull_image(store, *entry, options, progress.events());
    std::cout << "pulled " << outcome.image.reference.str() << ": "
              << store.blob_path(outcome.image.sha256).string() << "\n";
    return 0;
}

int make_volume(const Arguments& args) {
    std::filesystem::path image = paths_of(args).volume_image(args.project, args.volume);
    if (holos::create_volume(image, args.size_bytes, HOLOS_QEMU_IMG_BINARY)) {
        std::cout << "created volume " << args.volume << " (" << args.size_bytes << " bytes) at "
                  << image.string() << "\n";
    } else {
        std::cout << "volume " << args.volume << " exists at " << image.string() << "\n";
    }
    return 0;
}

int health(Arguments& args) {
    args.health.scope = args.user ? holos::Scope::user : holos::Scope::system;
    args.health.project = args.project;
    args.health.service = args.service;
    args.health.index = args.index;
    return holos::run_health(args.health);
}

void add_instance_arguments(CLI::App& command, Arguments& args) {
    command.add_option("project", args.project)->required();
    command.add_option("service", args.service)->required();
    command.add_option("index", args.index)->required();
}

void add_health_options(CLI::App& command, Arguments& args) {
    holos::Healthcheck& check = args.health.check;
    command.add_flag("--bypass", args.health.bypass);
    command.add_option("--interval-ms", check.interval_ms)->required();
    command.add_option("--timeout-ms", check.timeout_ms)->required();
    command.add_option("--retries", check.retries)->required();
    command.add_option("--start-period-ms", check.start_period_ms)->required();
    command.add_option("--login", args.health.login)->required();
    add_instance_arguments(command, args);
    command.add_option("command", args.health.command)->required();
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
    CLI::App* console_command = app.add_subcommand("console-log");
    add_instance_arguments(*console_command, args);
    CLI::App* pull_command = app.add_subcommand("pull");
    pull_command->add_option("image", args.image)->required();
    CLI::App* volume_command = app.add_subcommand("volume");
    volume_command->add_option("--size", args.size_bytes)->required();
    volume_command->add_option("project", args.project)->required();
    volume_command->add_option("volume", args.volume)->required();
    CLI::App* health_command = app.add_subcommand("health");
    add_health_options(*health_command, args);
    CLI11_PARSE(app, argc, argv);

    try {
        if (keys->parsed()) {
            return make_keys(args);
        }
        if (console_command->parsed()) {
            return console_log(args);
        }
        if (pull_command->parsed()) {
            return pull(args);
        }
        if (volume_command->parsed()) {
            return make_volume(args);
        }
        if (health_command->parsed()) {
            return health(args);
        }
        return prepare_command->parsed() ? prepare(args) : stop(args);
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}
