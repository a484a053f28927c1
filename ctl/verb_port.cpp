// holosctl port: the host addresses of an instance's forwards, from its registration, as
// `docker port` prints them. The SSH forward is listed too: it is allocated like a "22"
// mapping, and scripts that want to reach a guest's sshd ask for it the same way.

#include "verbs.hpp"

#include "target.hpp"

#include "instance_ports.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>
#include <memory>

namespace holos::ctl {
namespace {

struct PortOptions {
    ProjectChoice choice;
    std::string instance;
    std::string port; // "80", "80/tcp", "53/udp"; empty: every forward
};

struct Forward {
    std::string guest; // "80/tcp"
    std::string host;  // "127.0.0.1:8080"; empty when not recorded
    bool ssh = false;
};

std::vector<Forward> forwards_of(const LoadedProject& loaded, const InstanceUnit& instance) {
    AllocatedPorts allocated = allocated_ports_of(loaded.registration, instance.instance);
    std::vector<Forward> forwards;
    for (const PortMapping& port : instance.service->ports) {
        std::optional<std::uint16_t> host = host_port(port, instance.index, allocated);
        forwards.push_back(
            {port_key(port), host ? port.host_ip + ":" + std::to_string(*host) : "", false});
    }
    auto ssh = loaded.registration.ssh_ports.find(instance.instance);
    if (ssh != loaded.registration.ssh_ports.end()) {
        forwards.push_back({"22/tcp", "127.0.0.1:" + std::to_string(ssh->second), true});
    }
    return forwards;
}

// "80" -> "80/tcp"; anything that is not PORT[/tcp|/udp] is a usage error.
std::string guest_key(const std::string& text) {
    std::size_t slash = text.find('/');
    std::string number = text.substr(0, slash);
    std::string protocol = slash == std::string::npos ? "tcp" : text.substr(slash + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), port);
    if (ec != std::errc() || end != number.data() + number.size() || port == 0 || port > 65535 ||
        (protocol != "tcp" && protocol != "udp")) {
        throw Failure("expected a guest port as PORT, PORT/tcp or PORT/udp, got \"" + text + "\"",
                      kExitUsage);
    }
    return std::to_string(port) + "/" + protocol;
}

std::string described(const std::vector<Forward>& forwards) {
    std::string out;
    for (const Forward& forward : forwards) {
        out += (out.empty() ? "" : ", ") + forward.guest + (forward.ssh ? " (ssh)" : "");
    }
    return out.empty() ? "none" : out;
}

int print_one(const std::vector<Forward>& forwards, const std::string& key,
              const std::string& label) {
    bool found = false;
    for (const Forward& forward : forwards) {
        if (forward.guest != key) {
            continue;
        }
        if (forward.host.empty()) {
            throw Failure("the host port of " + label + " " + key +
                          " is not recorded; run holosctl up again");
        }
        std::cout << forward.host << "\n";
        found = true;
    }
    if (!found) {
        throw Failure(label + " has no forward of guest port " + key +
                      "; its forwards: " + described(forwards));
    }
    return kExitOk;
}

int run_port(const PortOptions& options, const GlobalOptions& global) {
    LoadedProject loaded = chosen_project(options.choice, paths_for(global.scope()));
    InstanceUnit instance = chosen_instance(loaded, options.instance);
    std::vector<Forward> forwards = forwards_of(loaded, instance);
    std::string label = loaded.project.name + "/" + instance.instance;
    if (!options.port.empty()) {
        return print_one(forwards, guest_key(options.port), label);
    }
    for (const Forward& forward : forwards) {
        std::cout << forward.guest << " -> " << (forward.host.empty() ? "?" : forward.host)
                  << (forward.ssh ? " (ssh)" : "") << "\n";
    }
    return kExitOk;
}

} // namespace

VerbRun setup_port(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<PortOptions>();
    add_project_options(command, options->choice);
    command.add_option("instance", options->instance, "web-0, or a service with one replica")
        ->required();
    command.add_option("port", options->port, "guest port: PORT, PORT/tcp or PORT/udp");
    return [options, &global] { return run_port(*options, global); };
}

} // namespace holos::ctl
