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
//   holos-instance register PROJECT SERVICE INDEX         register the instance's QEMU with
//                                                         systemd-machined
//   holos-instance stopped PROJECT SERVICE INDEX          unregister it, take the files back
//
// Its output goes to the unit's journal. Under the system manager prepare and stopped run as
// root outside the unit's sandbox, register as root in a unit of its own; stop runs inside
// the sandbox, as QEMU's user.

#include "pull_progress.hpp"

#include "atomic_file.hpp"
#include "console_follow.hpp"
#include "error.hpp"
#include "generate.hpp"
#include "holos_build_config.hpp"
#include "image_pull.hpp"
#include "instance_health.hpp"
#include "instance_owner.hpp"
#include "instance_prep.hpp"
#include "journal.hpp"
#include "machined.hpp"
#include "qmp.hpp"
#include "ssh_keys.hpp"
#include "stop_signals.hpp"
#include "systemd_manager.hpp"
#include "unit_graph.hpp"
#include "unit_graph_storage.hpp"
#include "unit_names.hpp"
#include "volume_store.hpp"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <unistd.h>
#include <utility>

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

// The named volumes an instance mounts are files outside its directory. One it writes (only
// one instance writes a volume) belongs to its user while it runs, and to root again after;
// one it reads, which the replicas of a service may share, is readable by every user.
void hand_volumes(const holos::Paths& paths, const holos::Project& project,
                  const holos::Service& service, holos::Owner owner) {
    for (const holos::VolumeMount* mount : holos::named_mounts(service)) {
        std::filesystem::path image = paths.volume_image(project.name, mount->source);
        if (mount->read_only) {
            holos::set_file_owner(image, holos::Owner{}, 0644);
        } else {
            holos::set_file_owner(image, owner, 0600);
        }
    }
}

// The virtiofs sockets of the instance's bind mounts are created by their socket units as
// root, mode 0600, before this step; QEMU connects to them as the instance's user. They are
// removed when the instance stops (RemoveOnStop=), so nothing needs to be taken back.
void hand_shares(const holos::Paths& paths, const Arguments& args, const holos::Service& service,
                 holos::Owner owner) {
    for (size_t mount = 0; mount < holos::bind_mounts(service).size(); ++mount) {
        std::filesystem::path socket =
            paths.virtiofs_socket(args.project, instance_of(args), mount);
        if (::lchown(socket.c_str(), owner.uid, owner.gid) < 0) {
            throw holos::system_error("handing " + socket.string() + " to uid " +
                                          std::to_string(owner.uid),
                                      errno);
        }
    }
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
    if (paths.scope == holos::Scope::system) {
        hand_to_instance_user(paths, args);
        holos::Owner owner =
            holos::owner_of(paths.instance_runtime(args.project, instance_of(args)));
        hand_volumes(paths, project, *service, owner);
        hand_shares(paths, args, *service, owner);
    }
    return 0;
}

// A VM that machined does not know still runs; the journal says why it is not listed. The
// machine unit runs once the instance is active, so QEMU is its main process by then.
int register_instance(const Arguments& args) {
    std::string name = holos::machine_name(args.project, instance_of(args));
    try {
        std::string unit = holos::instance_unit(args.project, args.service, args.index);
        std::uint32_t leader = holos::SystemdManager(holos::Scope::system).main_pid(unit);
        if (leader == 0) {
            std::cout << "not registered with systemd-machined: " << unit << " runs no QEMU\n";
            return 0;
        }
        holos::register_machine(name, static_cast<pid_t>(leader));
        std::cout << "registered machine " << name << " (leader " << leader << ")\n";
    } catch (const std::exception& e) {
        std::cout << "not registered with systemd-machined: " << e.what() << "\n";
    }
    return 0;
}

// The written volumes go back to root; what the project file no longer names is left alone.
void take_back_volumes(const holos::Paths& paths, const Arguments& args) {
    if (paths.scope != holos::Scope::system) {
        return;
    }
    holos::LoadResult load = holos::load_registered_project(paths, args.project);
    const holos::Service* service =
        load.loaded ? holos::find_service(load.loaded->project, args.service) : nullptr;
    std::error_code ec;
    for (const holos::VolumeMount* mount :
         service != nullptr ? holos::named_mounts(*service)
                            : std::vector<const holos::VolumeMount*>{}) {
        std::filesystem::path image = paths.volume_image(args.project, mount->source);
        if (!mount->read_only && std::filesystem::is_regular_file(image, ec)) {
            holos::set_file_owner(image, holos::Owner{}, 0600);
        }
    }
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
    take_back_volumes(paths, args);
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
    std::string instance = instance_of(args);
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

int health(const Arguments& args) {
    holos::HealthRun run = args.health;
    run.scope = args.user ? holos::Scope::user : holos::Scope::system;
    run.project = args.project;
    run.service = args.service;
    run.index = args.index;
    return holos::run_health(run);
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
    CLI::App* register_command = app.add_subcommand("register");
    add_instance_arguments(*register_command, args);
    CLI::App* stopped_command = app.add_subcommand("stopped");
    add_instance_arguments(*stopped_command, args);
    CLI11_PARSE(app, argc, argv);

    const std::pair<CLI::App*, int (*)(const Arguments&)> runs[] = {
        {keys, make_keys},          {prepare_command, prepare},
        {stop_command, stop},       {register_command, register_instance},
        {stopped_command, stopped}, {console_command, console_log},
        {pull_command, pull},       {volume_command, make_volume},
        {health_command, health},
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
