// Reaching a running instance over SSH, for exec and cp: the project key, the instance's
// forwarded SSH port, its pinned host key, and messages that say what to try when it fails.
#pragma once

#include "context.hpp"

#include "generate.hpp"
#include "ssh_session.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace holos::ctl {

// Connects to `instance` as `user` (empty: the service's cloud_init.user, else root),
// waiting up to `wait` for its sshd. Throws Failure.
std::unique_ptr<SshSession> connect_guest(const GlobalOptions& global,
                                          const LoadedProject& loaded,
                                          const InstanceUnit& instance, const std::string& user,
                                          std::chrono::seconds wait);

} // namespace holos::ctl
