// Times commands against each other in the same run: each round runs every command once, in
// turn, so a burst of load on a shared machine hits all of them alike. Commands are started
// with posix_spawn and nothing else (no shell, no interpreter), so the figure is the
// command's own cost, not the timer's.
//
//   bench_spawn ROUNDS WORK_DIR CMD... [::: CMD...]...
//
// Leading NAME=VALUE words of a command set its environment, as with env(1), without the
// cost of running env. An argument "{out}" is replaced, run by run, by a fresh empty
// directory under WORK_DIR (made before the clock starts, removed after it stops): a
// generator gets a new output directory each time, as systemd gives it. A command that
// exits non-zero stops the run. Prints {"samples_ms": [[...], ...]}, one list per command
// in the order given.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <spawn.h>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kSeparator = ":::";
constexpr const char* kOutToken = "{out}";

std::vector<std::vector<std::string>> split_commands(int argc, char** argv) {
    std::vector<std::vector<std::string>> commands(1);
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], kSeparator) == 0) {
            commands.emplace_back();
        } else {
            commands.back().push_back(argv[i]);
        }
    }
    return commands;
}

std::vector<std::string> with_out_dir(std::vector<std::string> argv, const std::string& dir) {
    std::replace(argv.begin(), argv.end(), std::string(kOutToken), dir);
    return argv;
}

bool is_assignment(const std::string& word) {
    size_t equals = word.find('=');
    return equals != std::string::npos && equals > 0 && word.find('/') > equals;
}

// The environment of this process with `assignments` put over it.
std::vector<char*> environment_with(const std::vector<std::string>& assignments) {
    std::vector<char*> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view name(*entry, std::strcspn(*entry, "="));
        bool replaced = std::any_of(assignments.begin(), assignments.end(), [&](auto& a) {
            return a.compare(0, name.size() + 1, std::string(name) + "=") == 0;
        });
        if (!replaced) {
            env.push_back(*entry);
        }
    }
    for (const std::string& assignment : assignments) {
        env.push_back(const_cast<char*>(assignment.c_str()));
    }
    env.push_back(nullptr);
    return env;
}

// Starts the command (its program found on PATH) with stdio on /dev/null; returns the wait
// status.
int spawn_and_wait(const std::vector<std::string>& command) {
    auto program = std::find_if_not(command.begin(), command.end(), is_assignment);
    std::vector<std::string> assignments(command.begin(), program);
    std::vector<char*> env = environment_with(assignments);
    std::vector<char*> args;
    for (auto arg = program; arg != command.end(); ++arg) {
        args.push_back(const_cast<char*>(arg->c_str()));
    }
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = 0;
    int error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
        std::fprintf(stderr, "bench_spawn: starting %s: %s\n", args[0], std::strerror(error));
        std::exit(1);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

double run_once(const std::vector<std::string>& command, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    Clock::time_point start = Clock::now();
    int status = spawn_and_wait(with_out_dir(command, dir.string()));
    double took = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    std::filesystem::remove_all(dir);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "bench_spawn: %s failed (wait status %d)\n",
                     std::find_if_not(command.begin(), command.end(), is_assignment)->c_str(),
                     status);
        std::exit(1);
    }
    return took;
}

void print_samples(const std::vector<std::vector<double>>& samples) {
    std::printf("{\"samples_ms\": [");
    for (size_t c = 0; c < samples.size(); ++c) {
        std::printf("%s[", c == 0 ? "" : ", ");
        for (size_t i = 0; i < samples[c].size(); ++i) {
            std::printf("%s%.3f", i == 0 ? "" : ", ", samples[c][i]);
        }
        std::printf("]");
    }
    std::printf("]}\n");
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench_spawn ROUNDS WORK_DIR CMD... [::: CMD...]...\n");
        return 2;
    }
    int rounds = std::max(1, std::atoi(argv[1]));
    std::filesystem::path work = argv[2];
    std::vector<std::vector<std::string>> commands = split_commands(argc - 3, argv + 3);
    if (std::any_of(commands.begin(), commands.end(), [](const auto& c) { return c.empty(); })) {
        std::fprintf(stderr, "bench_spawn: empty command\n");
        return 2;
    }

    // Round 0 is not counted: it warms the page cache and the dynamic loader's files.
    std::vector<std::vector<double>> samples(commands.size());
    for (int round = 0; round <= rounds; ++round) {
        for (size_t c = 0; c < commands.size(); ++c) {
            double took = run_once(commands[c], work / ("out-" + std::to_string(c)));
            if (round > 0) {
                samples[c].push_back(took);
            }
        }
    }
    print_samples(samples);
    return 0;
}
