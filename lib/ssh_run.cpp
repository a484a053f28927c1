// SshSession::run: one remote command (or shell) wired to the local stdin, stdout and stderr.
// A single poll loop moves bytes both ways, so an interactive shell and a pipe both work and
// the remote output never waits on local input. SshSession::capture: one command whose output
// is kept, with a deadline, for probes.

#include "ssh_session.hpp"

#include "error.hpp"
#include "libssh_api.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace holos {
namespace {

constexpr int kPollIntervalMs = 100;
constexpr size_t kChunkBytes = 16 * 1024;
constexpr size_t kCapturedBytes = 4 * 1024; // per stream: enough to say why a probe failed
constexpr int kNoExitStatus = 255; // as ssh(1) when the remote side reports none

volatile std::sig_atomic_t g_stop_signal = 0;
volatile std::sig_atomic_t g_window_changed = 0;

void on_stop_signal(int signal) {
    g_stop_signal = signal;
}

void on_window_change(int) {
    g_window_changed = 1;
}

// Installs the handlers for one run and puts the previous ones back afterwards.
class SignalScope {
public:
    SignalScope() {
        g_stop_signal = 0;
        g_window_changed = 0;
        install(SIGINT, on_stop_signal);
        install(SIGTERM, on_stop_signal);
        install(SIGHUP, on_stop_signal);
        install(SIGWINCH, on_window_change);
        install(SIGPIPE, SIG_IGN);
    }
    ~SignalScope() {
        for (const auto& [signal, action] : saved_) {
            sigaction(signal, &action, nullptr);
        }
    }
    SignalScope(const SignalScope&) = delete;
    SignalScope& operator=(const SignalScope&) = delete;

private:
    void install(int signal, void (*handler)(int)) {
        struct sigaction action {};
        action.sa_handler = handler;
        sigemptyset(&action.sa_mask);
        struct sigaction previous {};
        sigaction(signal, &action, &previous);
        saved_.emplace_back(signal, previous);
    }
    std::vector<std::pair<int, struct sigaction>> saved_;
};

// The local terminal in raw mode for as long as it lives, so every key reaches the guest.
class RawTerminal {
public:
    explicit RawTerminal(int fd) : fd_(fd) {
        if (tcgetattr(fd_, &saved_) < 0) {
            throw system_error("reading the terminal settings", errno);
        }
        struct termios raw = saved_;
        cfmakeraw(&raw);
        tcsetattr(fd_, TCSADRAIN, &raw);
    }
    ~RawTerminal() { tcsetattr(fd_, TCSADRAIN, &saved_); }
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

private:
    int fd_;
    struct termios saved_ {};
};

struct ChannelFree {
    void operator()(ssh_channel channel) const {
        libssh().ssh_channel_close(channel);
        libssh().ssh_channel_free(channel);
    }
};
using ChannelPtr = std::unique_ptr<ssh_channel_struct, ChannelFree>;

struct winsize local_window() {
    struct winsize size {};
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &size) < 0 || size.ws_col == 0) {
        size.ws_col = 80;
        size.ws_row = 24;
    }
    return size;
}

int signal_number(const char* name) {
    static const std::vector<std::pair<const char*, int>> kSignals = {
        {"HUP", SIGHUP}, {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},
        {"ABRT", SIGABRT}, {"FPE", SIGFPE}, {"KILL", SIGKILL}, {"USR1", SIGUSR1},
        {"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},
        {"TERM", SIGTERM},
    };
    for (const auto& [signal_name, number] : kSignals) {
        if (std::strcmp(name, signal_name) == 0) {
            return number;
        }
    }
    return 0;
}

// The remote side reports a signal death as a message of its own, not as an exit status.
struct ExitSignal {
    struct ssh_channel_callbacks_struct callbacks {};
    int signal = 0;
};

void on_exit_signal(ssh_session, ssh_channel, const char* name, int, const char*, const char*,
                    void* userdata) {
    static_cast<ExitSignal*>(userdata)->signal = signal_number(name);
}

ChannelPtr open_channel(ssh_session session, const std::string& label, bool pty) {
    ChannelPtr channel(libssh().ssh_channel_new(session));
    if (!channel || libssh().ssh_channel_open_session(channel.get()) != SSH_OK) {
        throw Error(label + ": cannot open an SSH channel (" + libssh().ssh_get_error(session) +
                    ")");
    }
    if (pty) {
        struct winsize size = local_window();
        const char* term = std::getenv("TERM");
        if (libssh().ssh_channel_request_pty_size(channel.get(), term ? term : "xterm", size.ws_col,
                                                  size.ws_row) != SSH_OK) {
            throw Error(label + ": the guest refused a terminal (" +
                        libssh().ssh_get_error(session) + ")");
        }
    }
    return channel;
}

bool write_all(int fd, const char* data, size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

// Moves what the channel has buffered to stdout or stderr. False once the reader is gone.
bool drain_channel(ssh_channel channel) {
    std::array<char, kChunkBytes> buffer{};
    for (int is_stderr : {0, 1}) {
        int n = 0;
        while ((n = libssh().ssh_channel_read_nonblocking(channel, buffer.data(), buffer.size(),
                                                          is_stderr)) > 0) {
            if (!write_all(is_stderr ? STDERR_FILENO : STDOUT_FILENO, buffer.data(),
                           static_cast<size_t>(n))) {
                return false;
            }
        }
    }
    return true;
}

// Forwards local input; at end of input the remote side gets end of input too.
void forward_stdin(ssh_channel channel, bool& stdin_open) {
    std::array<char, kChunkBytes> buffer{};
    ssize_t n = ::read(STDIN_FILENO, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
        return;
    }
    if (n <= 0) {
        stdin_open = false;
        libssh().ssh_channel_send_eof(channel);
        return;
    }
    libssh().ssh_channel_write(channel, buffer.data(), static_cast<uint32_t>(n));
}

bool channel_finished(ssh_channel channel) {
    return libssh().ssh_channel_is_closed(channel) ||
           (libssh().ssh_channel_is_eof(channel) && libssh().ssh_channel_poll(channel, 0) <= 0 &&
            libssh().ssh_channel_poll(channel, 1) <= 0);
}

void pump(ssh_session session, ssh_channel channel) {
    bool stdin_open = true;
    while (!channel_finished(channel) && g_stop_signal == 0) {
        if (g_window_changed) {
            g_window_changed = 0;
            struct winsize size = local_window();
            libssh().ssh_channel_change_pty_size(channel, size.ws_col, size.ws_row);
        }
        std::array<struct pollfd, 2> fds = {
            {{libssh().ssh_get_fd(session), POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}}};
        ::poll(fds.data(), stdin_open ? 2 : 1, kPollIntervalMs);
        if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            forward_stdin(channel, stdin_open);
        }
        if (!drain_channel(channel)) {
            return;
        }
    }
}

// Appends what the channel has buffered on `stream` to `out`, keeping at most kCapturedBytes.
void collect(ssh_channel channel, int stream, std::string& out) {
    std::array<char, kChunkBytes> buffer{};
    int n = 0;
    while ((n = libssh().ssh_channel_read_nonblocking(channel, buffer.data(), buffer.size(),
                                                      stream)) > 0) {
        size_t room = kCapturedBytes > out.size() ? kCapturedBytes - out.size() : 0;
        out.append(buffer.data(), std::min(room, static_cast<size_t>(n)));
    }
}

} // namespace

CapturedRun SshSession::capture(const std::string& command, std::chrono::milliseconds timeout) {
    using Clock = std::chrono::steady_clock;
    Clock::time_point deadline = Clock::now() + timeout;
    ssh_session session = session_.get();
    ChannelPtr channel = open_channel(session, target_.label, false);
    if (libssh().ssh_channel_request_exec(channel.get(), command.c_str()) != SSH_OK) {
        throw Error(target_.label + ": the guest refused the command (" +
                    libssh().ssh_get_error(session) + ")");
    }
    libssh().ssh_channel_send_eof(channel.get());
    CapturedRun run;
    std::string errors;
    while (!channel_finished(channel.get())) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            run.timed_out = true;
            break;
        }
        struct pollfd fd = {libssh().ssh_get_fd(session), POLLIN, 0};
        ::poll(&fd, 1, static_cast<int>(std::min<long long>(left.count(), kPollIntervalMs)));
        collect(channel.get(), 0, run.output);
        collect(channel.get(), 1, errors);
    }
    run.output += errors;
    int status = run.timed_out ? -1 : libssh().ssh_channel_get_exit_status(channel.get());
    run.exit_status = status >= 0 ? status : kNoExitStatus;
    return run;
}

int SshSession::run(const std::string& command, bool pty) {
    allow_slow_steps();
    ssh_session session = session_.get();
    ChannelPtr channel = open_channel(session, target_.label, pty);
    ExitSignal exit_signal;
    exit_signal.callbacks.userdata = &exit_signal;
    exit_signal.callbacks.channel_exit_signal_function = on_exit_signal;
    ssh_callbacks_init(&exit_signal.callbacks);
    libssh().ssh_set_channel_callbacks(channel.get(), &exit_signal.callbacks);

    int started = command.empty()
                      ? libssh().ssh_channel_request_shell(channel.get())
                      : libssh().ssh_channel_request_exec(channel.get(), command.c_str());
    if (started != SSH_OK) {
        throw Error(target_.label + ": the guest refused the command (" +
                    libssh().ssh_get_error(session) + ")");
    }
    {
        SignalScope signals;
        std::optional<RawTerminal> raw;
        if (pty) {
            raw.emplace(STDIN_FILENO);
        }
        pump(session, channel.get());
    }
    if (g_stop_signal != 0) {
        return 128 + g_stop_signal;
    }
    int status = libssh().ssh_channel_get_exit_status(channel.get());
    if (status >= 0) {
        return status;
    }
    return exit_signal.signal != 0 ? 128 + exit_signal.signal : kNoExitStatus;
}

} // namespace holos
