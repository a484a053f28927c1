// An SSH connection to one guest, made with libssh and the project's key: commands with
// plain pipes or a pseudo-terminal, and SFTP file copies. The guest's host key is pinned on
// first use, so a later change (another VM behind the port) is refused rather than trusted.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct ssh_session_struct;

namespace holos {

struct SshTarget {
    std::string label; // how messages name the guest, e.g. "hello/web-0"
    std::uint16_t port = 0; // on 127.0.0.1
    std::string user;
    std::filesystem::path private_key;
    std::filesystem::path pinned_host_key; // written on first use, compared afterwards
    std::chrono::milliseconds attempt_timeout{5000}; // for each connection attempt
};

// A command run with its output collected instead of shown.
struct CapturedRun {
    int exit_status = 0;  // the remote status (128 + N when killed by signal N)
    std::string output;   // stdout then stderr, at most a few KiB of each
    bool timed_out = false;
};

// Why a connection failed: the guest never answered (sshd not up, or no sshd), it answered
// but refused the key, or its host key is not the pinned one.
class SshError : public std::runtime_error {
public:
    enum class Kind { unreachable, refused, host_key_changed, other };
    SshError(Kind kind, const std::string& message) : std::runtime_error(message), kind(kind) {}
    Kind kind;
};

class SshSession {
public:
    // Called before each retry with the time waited so far, so a caller can show progress.
    using WaitObserver = std::function<void(std::chrono::seconds waited)>;

    // Connects and authenticates, retrying until `wait` has passed while the guest is still
    // booting (connection refused or dropped, key not yet installed). Throws SshError.
    SshSession(const SshTarget& target, std::chrono::seconds wait,
               const WaitObserver& on_wait = {});
    ~SshSession();
    SshSession(const SshSession&) = delete;
    SshSession& operator=(const SshSession&) = delete;

    // Runs `command` (a login shell when empty) with the local stdin, stdout and stderr; with
    // `pty`, on a pseudo-terminal the size of the local one, with the local terminal raw.
    // Returns the remote exit status (128 + N when killed by signal N). Throws Error.
    int run(const std::string& command, bool pty);

    // Runs `command` without a terminal or input, collecting what it prints; gives up when
    // `timeout` has passed. Throws Error when the guest refuses the command.
    CapturedRun capture(const std::string& command, std::chrono::milliseconds timeout);

    // Copies a local file to the guest, and back; the mode travels with the file. Throws Error.
    void upload(const std::filesystem::path& local, const std::string& remote);
    void download(const std::string& remote, const std::filesystem::path& local);

private:
    // Lets each blocking step of a user's command (opening a channel, SFTP calls) take up to
    // a minute instead of the connection attempt's timeout: a guest busy beside others
    // booting under emulation can take longer than that to fork a session, and the
    // connection has already shown that it answers.
    void allow_slow_steps();

    struct Deleter {
        void operator()(ssh_session_struct* session) const;
    };
    std::unique_ptr<ssh_session_struct, Deleter> session_;
    SshTarget target_;
};

// A command line for the remote shell: each argument single-quoted where it needs it.
std::string shell_join(const std::vector<std::string>& argv);

} // namespace holos
