// holosctl cp: copy a file into or out of a running instance over SFTP.
//
//   holosctl cp ./app.conf web-0:/etc/app.conf      holosctl cp web-0:/var/log/syslog .

#include "verbs.hpp"

#include "guest_ssh.hpp"
#include "target.hpp"

#include "error.hpp"

#include <CLI/CLI.hpp>
#include <memory>

namespace holos::ctl {
namespace {

struct CpOptions {
    ProjectChoice choice;
    std::string user;
    std::string source;
    std::string destination;
};

// "web-0:/path" names a file in an instance; anything with a slash before the first colon,
// or no colon at all, is a local path (so ./a:b stays local).
struct Location {
    std::string instance; // empty: local
    std::string path;
};

Location parse_location(const std::string& text) {
    size_t colon = text.find(':');
    size_t slash = text.find('/');
    if (colon == std::string::npos || colon == 0 || (slash != std::string::npos && slash < colon)) {
        return {"", text};
    }
    return {text.substr(0, colon), text.substr(colon + 1)};
}

// A destination that is a directory receives the file under its own name.
std::filesystem::path local_destination(const std::string& path, const std::string& remote) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return std::filesystem::path(path) / std::filesystem::path(remote).filename();
    }
    return path;
}

int run_cp(const CpOptions& options, const GlobalOptions& global) {
    Location from = parse_location(options.source);
    Location to = parse_location(options.destination);
    if (from.instance.empty() == to.instance.empty()) {
        throw Failure("cp copies between this host and an instance: one of SOURCE and DEST must "
                      "be INSTANCE:PATH, the other a local path",
                      kExitUsage);
    }
    const Location& remote = from.instance.empty() ? to : from;
    if (remote.path.empty()) {
        throw Failure("give a path inside the instance, e.g. " + remote.instance + ":/tmp/file",
                      kExitUsage);
    }
    Paths paths = paths_for(global.scope());
    LoadedProject loaded = chosen_project(options.choice, paths);
    InstanceUnit instance = chosen_instance(loaded, remote.instance);
    std::unique_ptr<SshSession> session =
        connect_guest(global, loaded, instance, options.user, std::chrono::seconds(0));
    try {
        if (from.instance.empty()) {
            session->upload(from.path, to.path);
        } else {
            session->download(from.path, local_destination(to.path, from.path));
        }
    } catch (const Error& e) {
        throw Failure(e.what());
    }
    return kExitOk;
}

} // namespace

VerbRun setup_cp(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<CpOptions>();
    add_project_options(command, options->choice);
    command.add_option("-u,--login", options->user,
                       "log in as USER (default: the service's cloud_init.user, else root)");
    command.add_option("source", options->source, "local path or INSTANCE:PATH")->required();
    command.add_option("destination", options->destination, "local path or INSTANCE:PATH")
        ->required();
    return [options, &global] { return run_cp(*options, global); };
}

} // namespace holos::ctl
