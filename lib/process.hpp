// Running helper programs (qemu-img) without a shell, so no argument is ever re-parsed.
#pragma once

#include <string>
#include <vector>

namespace holos {

struct CommandResult {
    int exit_code = -1; // -1 when killed by a signal
    std::string output; // stdout and stderr together
};

// Runs argv[0] (an absolute path) with the given arguments and waits. Throws Error when it
// cannot be started.
CommandResult run_command(const std::vector<std::string>& argv);

} // namespace holos
