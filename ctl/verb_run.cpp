// holosctl run: a one-off VM without a compose file. The flags become a compose file written
// to the state directory (PATH/run/NAME/holos.yaml, relative paths made absolute against the
// current directory), which is brought up like any other, so every verb works on it; down
// removes it again. With a command, run waits for the guest's sshd, runs the command there
// and exits with its status, as docker run does.

#include "verbs.hpp"

#include "guest_ssh.hpp"
#include "lifecycle.hpp"
#include "target.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "registry.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>
#include <random>
#include <yaml-cpp/yaml.h>

namespace holos::ctl {
namespace {

constexpr const char* kServiceName = "vm";
// A fresh guest's first boot, cloud-init included, takes 30-60 s under emulation.
constexpr int kDefaultWaitS = 300;

struct RunOptions {
    std::string image;
    std::string name;
    int vcpu = 0;
    std::string memory;
    std::vector<std::string> ports;
    std::vector<std::string> volumes;
    std::vector<std::string> devices;
    std::vector<std::string> packages;
    std::vector<std::string> runcmd;
    std::string login;
    std::string dockerfile;
    bool uefi = false;
    bool remove = false;
    int wait_s = kDefaultWaitS;
};

std::string random_name() {
    std::random_device random;
    char suffix[8];
    std::snprintf(suffix, sizeof(suffix), "%04x", random() & 0xffff);
    return std::string("run-") + suffix;
}

// "./data:/srv" -> "/home/me/data:/srv"; sources that are not relative paths stay.
std::string absolute_bind(const std::string& volume) {
    if (!volume.starts_with('.')) {
        return volume;
    }
    size_t colon = volume.find(':');
    std::string source = volume.substr(0, colon);
    std::string rest = colon == std::string::npos ? "" : volume.substr(colon);
    return std::filesystem::absolute(source).lexically_normal().string() + rest;
}

std::string absolute_path(const std::string& path) {
    return std::filesystem::absolute(path).lexically_normal().string();
}

bool all_digits(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return std::isdigit(c); });
}

void emit_list(YAML::Emitter& out, const char* key, const std::vector<std::string>& values) {
    if (!values.empty()) {
        out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
        for (const std::string& value : values) {
            out << YAML::DoubleQuoted << value;
        }
        out << YAML::EndSeq;
    }
}

void emit_vm(YAML::Emitter& out, const RunOptions& options) {
    if (options.vcpu == 0 && options.memory.empty() && !options.uefi) {
        return;
    }
    out << YAML::Key << "vm" << YAML::Value << YAML::BeginMap;
    if (options.vcpu != 0) {
        out << YAML::Key << "vcpu" << YAML::Value << options.vcpu;
    }
    if (all_digits(options.memory)) {
        // Written as typed, unquoted: the parser reads it as a number and checks its range.
        out << YAML::Key << "memory_mb" << YAML::Value << options.memory;
    } else if (!options.memory.empty()) {
        out << YAML::Key << "memory" << YAML::Value << YAML::DoubleQuoted << options.memory;
    }
    if (options.uefi) {
        out << YAML::Key << "uefi" << YAML::Value << true;
    }
    out << YAML::EndMap;
}

void emit_cloud_init(YAML::Emitter& out, const RunOptions& options) {
    if (options.login.empty() && options.packages.empty() && options.runcmd.empty()) {
        return;
    }
    out << YAML::Key << "cloud_init" << YAML::Value << YAML::BeginMap;
    if (!options.login.empty()) {
        out << YAML::Key << "user" << YAML::Value << YAML::DoubleQuoted << options.login;
    }
    emit_list(out, "packages", options.packages);
    emit_list(out, "runcmd", options.runcmd);
    out << YAML::EndMap;
}

// Every user value is double-quoted, so YAML reads it back as the exact string typed.
std::string compose_text(const RunOptions& options, const std::string& name) {
    YAML::Emitter out;
    out << YAML::Comment("Written by holosctl run; holosctl down -p " + name + " removes it.");
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << name;
    out << YAML::Key << "services" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << kServiceName << YAML::Value << YAML::BeginMap;
    std::string image = options.image.find('/') != std::string::npos ||
                                options.image.starts_with('.')
                            ? absolute_path(options.image)
                            : options.image;
    out << YAML::Key << "image" << YAML::Value << YAML::DoubleQuoted << image;
    if (!options.dockerfile.empty()) {
        out << YAML::Key << "dockerfile" << YAML::Value << YAML::DoubleQuoted
            << absolute_path(options.dockerfile);
    }
    emit_list(out, "ports", options.ports);
    std::vector<std::string> volumes;
    std::transform(options.volumes.begin(), options.volumes.end(), std::back_inserter(volumes),
                   absolute_bind);
    emit_list(out, "volumes", volumes);
    if (!options.devices.empty()) {
        out << YAML::Key << "devices" << YAML::Value << YAML::BeginSeq;
        for (const std::string& device : options.devices) {
            out << YAML::BeginMap << YAML::Key << "pci" << YAML::Value << YAML::DoubleQuoted
                << device << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    emit_vm(out, options);
    emit_cloud_init(out, options);
    out << YAML::EndMap << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

bool is_registered(const Paths& paths, const std::string& name) {
    std::vector<std::string> registered = registered_projects(paths);
    return std::find(registered.begin(), registered.end(), name) != registered.end();
}

// Writes the compose file; returns its path.
std::filesystem::path write_compose(const Paths& paths, const RunOptions& options,
                                    const std::string& name) {
    std::filesystem::path dir = paths.run_project_dir(name);
    std::filesystem::path file = dir / "holos.yaml";
    std::string text = compose_text(options, name);
    try {
        make_directory(dir.parent_path(), 0700);
        make_directory(dir, 0700);
        write_file_atomic(file, text, 0600);
    } catch (const Error& e) {
        throw Failure(e.what());
    }
    return file;
}

void print_next_steps(const std::string& name) {
    std::cout << name << " is running.\n"
              << "  a shell:     holosctl exec -p " << name << " " << kServiceName << "\n"
              << "  a command:   holosctl exec -p " << name << " " << kServiceName
              << " -- COMMAND\n"
              << "  remove it:   holosctl down -p " << name << "\n";
}

int run_command(const std::string& name, const std::vector<std::string>& argv,
                const RunOptions& options, const GlobalOptions& global) {
    LoadedProject loaded = chosen_project({"", name}, paths_for(global.scope()));
    InstanceUnit instance = chosen_instance(loaded, kServiceName);
    std::unique_ptr<SshSession> session = connect_guest(
        global, loaded, instance, options.login, std::chrono::seconds(options.wait_s));
    try {
        return session->run(shell_join(argv), false);
    } catch (const Error& e) {
        throw Failure(e.what());
    }
}

int run_vm(const RunOptions& options, const std::vector<std::string>& argv,
           const GlobalOptions& global) {
    Paths paths = paths_for(global.scope());
    std::string name = options.name.empty() ? random_name() : options.name;
    if (is_registered(paths, name)) {
        throw Failure("a project named " + name + " is running; pick another --name, or remove "
                      "it with holosctl down -p " + name,
                      kExitUsage);
    }
    std::filesystem::path file = write_compose(paths, options, name);
    try {
        UpOptions up;
        up.file = file.string();
        bring_up(up, global);
    } catch (const Failure&) {
        if (!is_registered(paths, name)) {
            std::error_code ec;
            std::filesystem::remove_all(file.parent_path(), ec); // nothing was started
        }
        throw;
    }
    if (argv.empty()) {
        print_next_steps(name);
        return kExitOk;
    }
    int status = run_command(name, argv, options, global);
    if (options.remove) {
        take_down({"", name}, global);
    }
    return status;
}

// IMAGE, then an optional "--" and the command; as for exec, parsing stops at IMAGE.
int run_from_words(RunOptions options, const CLI::App& command, const GlobalOptions& global) {
    std::vector<std::string> words = command.remaining();
    if (words.empty()) {
        throw Failure("run needs an image: holosctl run [OPTIONS] IMAGE [--] [COMMAND...]",
                      kExitUsage);
    }
    options.image = words.front();
    std::vector<std::string> argv(words.begin() + 1, words.end());
    if (!argv.empty() && argv.front() == "--") {
        argv.erase(argv.begin());
    }
    if (options.remove && argv.empty()) {
        throw Failure("--rm removes the VM once its command ends; give a command", kExitUsage);
    }
    return run_vm(options, argv, global);
}

} // namespace

VerbRun setup_run(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<RunOptions>();
    command.add_option("--name", options->name, "project name (default: run-XXXX)");
    command.add_option("--vcpu", options->vcpu, "virtual CPUs")->check(CLI::PositiveNumber);
    command.add_option("--memory", options->memory, "memory: 2G, 512M, or MiB");
    command.add_option("-p,--publish", options->ports, "forward a port: 8080:80, 80, 53/udp")
        ->allow_extra_args(false);
    command.add_option("-v,--volume", options->volumes, "share a directory: ./src:/dst[:ro]")
        ->allow_extra_args(false);
    command.add_option("--device", options->devices, "pass a PCI device: 0000:01:00.0")
        ->allow_extra_args(false);
    command.add_option("--pkg", options->packages, "install a package at first boot")
        ->allow_extra_args(false);
    command.add_option("--runcmd", options->runcmd, "run a shell command at first boot")
        ->allow_extra_args(false);
    command.add_option("--login", options->login, "cloud-init user to create and log in as");
    command.add_option("--dockerfile", options->dockerfile, "provision from a Dockerfile");
    command.add_flag("--uefi", options->uefi, "boot with UEFI firmware");
    command.add_flag("--rm", options->remove, "remove the VM when the command ends");
    command.add_option("-w,--wait", options->wait_s, "seconds to wait for the guest's sshd")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    command.footer("Usage: holosctl run [OPTIONS] IMAGE [--] [COMMAND...]\n"
                   "IMAGE is a name in the image store or the catalogue (debian:12, see\n"
                   "holosctl images; a missing one is pulled) or a disk image file.");
    // Each repeatable option takes one value, so the image after it is not swallowed.
    command.prefix_command();
    return [options, &command, &global] { return run_from_words(*options, command, global); };
}

} // namespace holos::ctl
