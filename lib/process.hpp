// Running helper programs (qemu-img) without a shell, so no argument is ever re-parsed.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace holos {

struct CommandResult {
    int exit_code = -1; // -1 when killed by a signal
    std::string output; // stdout and stderr together
};

// Runs argv[0] (an absolute path) with the given arguments and waits. Throws Error when it
// cannot be started.
CommandResult run_command(const std::vector<std::string>& argv);

// Runs argv[0] the same way, but with this process's stdout and stderr, for a long job whose
// output the user should see as it comes. Returns its exit code (-1 when killed by a signal).
// Throws Error when it cannot be started.
int run_command_attached(const std::vector<std::string>& argv);

} // namespace holos
