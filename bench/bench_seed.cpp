// Times building one instance's cloud-init seed two ways in the same run: in-process, as
// `holos-instance prepare` does (seed_files + write_seed_iso), and by running genisoimage on
// the same three files with the same ISO options (ISO level 3, Rock Ridge, Joliet, volume
// "cidata"). The two alternate round by round, so load on a shared machine hits both alike.
//
//   bench_seed ROUNDS COMPOSE_FILE WORK_DIR GENISOIMAGE
//
// Prints one JSON object: {"holos_ms": [...], "baseline_ms": [...], "holos_bytes": N,
// "baseline_bytes": N, "files": [...]}. WORK_DIR receives the seed files and both images.

#include "cloud_init.hpp"
#include "error.hpp"
#include "parse.hpp"
#include "seed_iso.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

// A fixed key of the right shape: the seed's size and content, not the key, are what count.
constexpr const char* kPublicKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchBenchBenchBenchBenchBenchBenchBench0 holos-bench";

holos::Project project_of(const std::filesystem::path& compose) {
    holos::ParseResult parsed = holos::parse_project_file(compose);
    if (!parsed.project || parsed.project->services.empty()) {
        throw holos::Error("parsing " + compose.string() + " failed");
    }
    return std::move(*parsed.project);
}

std::vector<holos::SeedFile> seed_of(const holos::Project& project) {
    return holos::seed_files({project, project.services.front(), 0, kPublicKey});
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
    int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
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

} // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: bench_seed ROUNDS COMPOSE_FILE WORK_DIR GENISOIMAGE\n");
        return 2;
    }
    int rounds = std::max(1, std::atoi(argv[1]));
    std::filesystem::path work = argv[3];
    try {
        holos::Project project = project_of(argv[2]);
        std::vector<holos::SeedFile> files = seed_of(project);
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
                                 {"baseline_ms", nlohmann::json::array()},
                                 {"files", names}};
        for (int i = 0; i < rounds; ++i) {
            // Deriving the files is part of holos's work (prepare does it on every start);
            // genisoimage gets them ready on disk.
            result["holos_ms"].push_back(
                time_ms([&] { holos::write_seed_iso(ours, seed_of(project)); }));
            int status = 0;
            result["baseline_ms"].push_back(
                time_ms([&] { status = spawn_and_wait(baseline, inputs); }));
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                throw holos::Error("genisoimage failed with wait status " +
                                   std::to_string(status));
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
