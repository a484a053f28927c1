// Times building one instance's cloud-init seed two ways in the same run: in-process, as
// `holos-instance prepare` does (seed_content + write_seed_iso), and by running genisoimage on
// the same three files with the same ISO options (ISO level 3, Rock Ridge, Joliet, volume
// "cidata"). The two alternate round by round, each going first every other round, so load
// on a shared machine hits both alike. Each holos round builds in a forked child that has not
// opened libisofs yet and times the build itself: the figure includes opening the library,
// which a prepare process (one seed each) pays, but not the fork, which it does not. Both
// sides replace the image of the round before: holos removes it as it always does, and the
// baseline's is removed in its timed step too, as overwriting it in place would make ext4
// write it out on close.
//
//   bench_seed ROUNDS COMPOSE_FILE WORK_DIR GENISOIMAGE
//
// Prints one JSON object: {"holos_ms": [...], "holos_steps_ms": {"open": [...], "derive":
// [...], "build": [...]}, "baseline_ms": [...], "holos_bytes": N, "baseline_bytes": N,
// "files": [...]}. WORK_DIR receives the seed files and both images.

#include "cloud_init.hpp"
#include "error.hpp"
#include "network_allocation.hpp"
#include "parse.hpp"
#include "seed_iso.hpp"

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

// A fixed key of the right shape: the seed's size and content, not the key, are what count.
constexpr const char* kPublicKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchBenchBenchBenchBenchBenchBenchBench0 holos-bench";

// What prepare derives the seed from: the project and the network its registration holds
// (every registered project has one; it gives the guest its project NIC and /etc/hosts).
struct SeedSource {
    holos::Project project;
    holos::ProjectNetwork network;
};

SeedSource source_of(const std::filesystem::path& compose) {
    holos::ParseResult parsed = holos::parse_project_file(compose);
    if (!parsed.project) {
        std::string problems;
        for (const holos::Diagnostic& diagnostic : parsed.diagnostics) {
            problems += "\n" + holos::format_diagnostic(diagnostic);
        }
        throw holos::Error("cannot read " + compose.string() + ":" + problems);
    }
    if (parsed.project->services.empty()) {
        throw holos::Error(compose.string() + " has no service to build a seed for");
    }
    holos::ProjectNetwork network = holos::allocate_network(*parsed.project, nullptr, {});
    return {std::move(*parsed.project), std::move(network)};
}

std::vector<holos::SeedFile> seed_of(const SeedSource& source) {
    const holos::Project& project = source.project;
    holos::SeedInput input{project, project.services.front(), 0, kPublicKey, &source.network};
    return holos::seed_content(input).files;
}

void write_plain(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) {
        throw holos::Error("writing " + path.string());
    }
}

std::vector<std::string> genisoimage_argv(const std::string& program,
                                          const std::filesystem::path& output,
                                          const std::vector<holos::SeedFile>& files) {
    std::vector<std::string> argv = {program,   "-quiet", "-output", output.string(),
                                     "-volid",  "cidata", "-joliet", "-rock",
                                     "-iso-level", "3"};
    for (const holos::SeedFile& file : files) {
        argv.push_back(file.name);
    }
    return argv;
}

// Runs argv in `dir` with its output discarded; returns its wait status.
int spawn_and_wait(const std::vector<std::string>& argv, const std::filesystem::path& dir) {
    std::vector<char*> args;
    for (const std::string& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    pid_t pid = 0;
    int error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
        throw holos::Error("starting " + argv[0] + ": " + std::strerror(error));
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

template <typename Step> double time_ms(const Step& step) {
    Clock::time_point start = Clock::now();
    step();
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void check_exit(const char* what, int status) {
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        throw holos::Error(std::string(what) + " failed with exit status " +
                           std::to_string(WEXITSTATUS(status)));
    }
    if (WIFSIGNALED(status)) {
        throw holos::Error(std::string(what) + " was killed by signal " +
                           std::to_string(WTERMSIG(status)));
    }
}

// ROUNDS: a whole number from 1 to 10000, or nothing.
std::optional<int> parse_rounds(const char* text) {
    int rounds = 0;
    const char* end = text + std::strlen(text);
    auto [rest, error] = std::from_chars(text, end, rounds);
    if (error != std::errc() || rest != end || rounds < 1 || rounds > 10000) {
        return std::nullopt;
    }
    return rounds;
}

// What one seed cost a process that had not opened libisofs, step by step, in ms.
struct SeedSteps {
    double open = 0;   // loading libisofs and the libraries it needs
    double derive = 0; // rendering user-data, meta-data and network-config
    double build = 0;  // building and writing the image
};

// Opens libisofs as lib/seed_iso.cpp does, so that write_seed_iso then finds it loaded and
// the load is timed apart; the sum of the steps is what a prepare process pays.
void open_libisofs() {
    if (::dlopen("libisofs.so.6", RTLD_NOW | RTLD_LOCAL) == nullptr) {
        throw holos::Error(std::string("opening libisofs: ") + ::dlerror());
    }
}

// Builds the seed in a child of this process, which has never opened libisofs.
SeedSteps build_in_child(const SeedSource& source, const std::filesystem::path& output) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) < 0) {
        throw holos::Error(std::string("pipe: ") + std::strerror(errno));
    }
    pid_t pid = ::fork();
    if (pid < 0) {
        throw holos::Error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        ::close(pipe_fds[0]);
        try {
            SeedSteps steps;
            std::vector<holos::SeedFile> files;
            steps.open = time_ms([] { open_libisofs(); });
            steps.derive = time_ms([&] { files = seed_of(source); });
            steps.build = time_ms([&] { holos::write_seed_iso(output, files); });
            ::_exit(::write(pipe_fds[1], &steps, sizeof steps) == sizeof steps ? 0 : 1);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_seed: %s\n", e.what());
            ::_exit(1);
        }
    }
    ::close(pipe_fds[1]);
    SeedSteps steps;
    ssize_t got = ::read(pipe_fds[0], &steps, sizeof steps);
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    check_exit("building the seed", status);
    if (got != sizeof steps) {
        throw holos::Error("the seed's builder reported no time");
    }
    return steps;
}

} // namespace

int main(int argc, char** argv) {
    constexpr const char* kUsage = "usage: bench_seed ROUNDS COMPOSE_FILE WORK_DIR GENISOIMAGE\n";
    if (argc != 5) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    std::optional<int> rounds = parse_rounds(argv[1]);
    if (!rounds) {
        std::fprintf(stderr, "bench_seed: ROUNDS must be from 1 to 10000, not \"%s\"\n", argv[1]);
        std::fputs(kUsage, stderr);
        return 2;
    }
    try {
        // genisoimage runs in WORK_DIR/files, so its output path must not be relative.
        std::filesystem::path work = std::filesystem::absolute(argv[3]);
        SeedSource source = source_of(argv[2]);
        std::vector<holos::SeedFile> files = seed_of(source);
        std::filesystem::path inputs = work / "files";
        std::filesystem::create_directories(inputs);
        nlohmann::json names = nlohmann::json::array();
        for (const holos::SeedFile& file : files) {
            write_plain(inputs / file.name, file.content);
            names.push_back(file.name);
        }
        std::filesystem::path ours = work / "holos-seed.iso";
        std::filesystem::path theirs = work / "genisoimage-seed.iso";
        std::vector<std::string> baseline = genisoimage_argv(argv[4], theirs, files);

        nlohmann::json result = {{"holos_ms", nlohmann::json::array()},
                                 {"holos_steps_ms", nlohmann::json::object()},
                                 {"baseline_ms", nlohmann::json::array()},
                                 {"files", names}};
        auto holos_round = [&] {
            // Deriving the files is part of holos's work (prepare does it on every start);
            // genisoimage gets them ready on disk.
            SeedSteps steps = build_in_child(source, ours);
            result["holos_ms"].push_back(steps.open + steps.derive + steps.build);
            result["holos_steps_ms"]["open"].push_back(steps.open);
            result["holos_steps_ms"]["derive"].push_back(steps.derive);
            result["holos_steps_ms"]["build"].push_back(steps.build);
        };
        auto baseline_round = [&] {
            int status = 0;
            result["baseline_ms"].push_back(time_ms([&] {
                std::filesystem::remove(theirs);
                status = spawn_and_wait(baseline, inputs);
            }));
            check_exit("genisoimage", status);
        };
        for (int i = 0; i < *rounds; ++i) {
            if (i % 2 == 0) {
                holos_round();
                baseline_round();
            } else {
                baseline_round();
                holos_round();
            }
        }
        result["holos_bytes"] = std::filesystem::file_size(ours);
        result["baseline_bytes"] = std::filesystem::file_size(theirs);
        std::cout << result.dump() << "\n";
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_seed: %s\n", e.what());
        return 1;
    }
    return 0;
}
