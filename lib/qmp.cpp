// QMP speaks one JSON object per line over a unix socket: a greeting, then replies to our
// commands interleaved with asynchronous events. The socket is non-blocking and every read
// and write waits in poll() against a deadline, so a wedged QEMU costs a bounded time and
// never hangs a stop job.
#include "qmp.hpp"

#include "error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace holos {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long a guest gets to react to one press of the power button before it is pressed again.
constexpr milliseconds kRepressInterval{5000};

class UniqueFd {
public:
    explicit UniqueFd(int fd) : fd_(fd) {}
    ~UniqueFd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

// Time left until `deadline`, rounded up to whole milliseconds and never negative.
milliseconds time_left(Clock::time_point deadline) {
    auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now());
    return std::max(left, milliseconds(0));
}

// Waits for `events` on `fd`; false when the deadline passed first.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd pfd{fd, events, 0};
        int n = ::poll(&pfd, 1, static_cast<int>(time_left(deadline).count()));
        if (n > 0) {
            return true;
        }
        if (n == 0) {
            return false;
        }
        if (errno != EINTR) {
            throw system_error("waiting for the socket", errno);
        }
    }
}

int connect_unix(const std::filesystem::path& socket, Clock::time_point deadline) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string& name = socket.native();
    if (name.size() >= sizeof(address.sun_path)) {
        throw Error("the socket path is too long");
    }
    std::memcpy(address.sun_path, name.c_str(), name.size() + 1);

    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (fd.get() < 0) {
        throw system_error("creating a socket", errno);
    }
    // A non-blocking unix socket fails with EAGAIN while the listener's backlog is full.
    while (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) < 0) {
        if (errno != EAGAIN || Clock::now() >= deadline) {
            throw system_error("connecting", errno);
        }
        std::this_thread::sleep_for(milliseconds(10));
    }
    return fd.release();
}

void send_all(int fd, std::string_view data, Clock::time_point deadline) {
    while (!data.empty()) {
        // MSG_NOSIGNAL: QEMU exiting under us must be an error, not a SIGPIPE.
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n >= 0) {
            data.remove_prefix(static_cast<size_t>(n));
        } else if (errno == EAGAIN) {
            if (!wait_for(fd, POLLOUT, deadline)) {
                throw Error("timed out sending");
            }
        } else if (errno != EINTR) {
            throw system_error("sending", errno);
        }
    }
}

enum class Fill { data, eof, timeout };

// Appends whatever the socket has to `buffer`, waiting until `deadline` for something.
Fill fill(int fd, std::string& buffer, Clock::time_point deadline) {
    for (;;) {
        if (!wait_for(fd, POLLIN, deadline)) {
            return Fill::timeout;
        }
        char chunk[4096];
        ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
        if (n > 0) {
            buffer.append(chunk, static_cast<size_t>(n));
            return Fill::data;
        }
        if (n == 0 || errno == ECONNRESET) {
            return Fill::eof;
        }
        if (errno != EAGAIN && errno != EINTR) {
            throw system_error("reading", errno);
        }
    }
}

nlohmann::json read_message(int fd, std::string& buffer, Clock::time_point deadline,
                            milliseconds timeout) {
    size_t end;
    while ((end = buffer.find('\n')) == std::string::npos) {
        switch (fill(fd, buffer, deadline)) {
        case Fill::data:
            break;
        case Fill::eof:
            throw Error("QEMU closed the connection");
        case Fill::timeout:
            throw Error("no reply within " + std::to_string(timeout.count()) + " ms");
        }
    }
    std::string line = buffer.substr(0, end);
    buffer.erase(0, end + 1);

    nlohmann::json message = nlohmann::json::parse(line, nullptr, false);
    if (!message.is_object()) {
        throw Error("malformed message \"" + line + "\"");
    }
    return message;
}

// Sends `request` and returns the "return" member of its reply, skipping events.
nlohmann::json exchange(int fd, std::string& buffer, const nlohmann::json& request,
                        milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    send_all(fd, request.dump() + "\n", deadline);
    for (;;) {
        nlohmann::json reply = read_message(fd, buffer, deadline, timeout);
        if (reply.contains("return")) {
            return reply["return"];
        }
        if (reply.contains("error")) {
            const nlohmann::json& error = reply["error"];
            bool has_desc =
                error.is_object() && error.contains("desc") && error["desc"].is_string();
            throw Error(has_desc ? error["desc"].get<std::string>() : error.dump());
        }
    }
}

nlohmann::json command(const std::string& name, const nlohmann::json& arguments) {
    nlohmann::json request = {{"execute", name}};
    if (!arguments.empty()) {
        request["arguments"] = arguments;
    }
    return request;
}

} // namespace

QmpClient::QmpClient(const std::filesystem::path& socket, milliseconds timeout)
    : timeout_(timeout) {
    auto deadline = Clock::now() + timeout;
    try {
        fd_ = connect_unix(socket, deadline);
        if (!read_message(fd_, buffer_, deadline, timeout).contains("QMP")) {
            throw Error("unexpected greeting");
        }
        // Until capabilities are negotiated QEMU accepts no other command.
        exchange(fd_, buffer_, command("qmp_capabilities", nlohmann::json::object()), timeout);
    } catch (const Error& e) {
        // The destructor does not run for a constructor that throws.
        if (fd_ >= 0) {
            ::close(fd_);
        }
        throw Error("connecting to QEMU at " + socket.string() + ": " + e.what());
    }
}

QmpClient::~QmpClient() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

nlohmann::json QmpClient::execute(const std::string& name, const nlohmann::json& arguments) {
    try {
        return exchange(fd_, buffer_, command(name, arguments), timeout_);
    } catch (const Error& e) {
        throw Error("QMP command \"" + name + "\": " + e.what());
    }
}

bool QmpClient::wait_closed(milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        switch (fill(fd_, buffer_, deadline)) {
        case Fill::data:
            buffer_.clear(); // events such as SHUTDOWN; nobody is asking for them
            break;
        case Fill::eof:
            return true;
        case Fill::timeout:
            return false;
        }
    }
}

bool power_down(const std::filesystem::path& socket, milliseconds grace,
                milliseconds repress_interval) {
    // Never throws: this runs in a unit's ExecStop, where any failure means "fall back to
    // signals", which is what returning false tells the caller.
    try {
        auto deadline = Clock::now() + grace;
        QmpClient qmp(socket, std::min(grace, repress_interval));
        for (;;) {
            try {
                qmp.execute("system_powerdown");
            } catch (const Error&) {
                // Most likely QEMU is already on its way out and closed the socket.
                return qmp.wait_closed(time_left(deadline));
            }
            if (qmp.wait_closed(std::min(repress_interval, time_left(deadline)))) {
                return true;
            }
            if (time_left(deadline) == milliseconds(0)) {
                return false;
            }
        }
    } catch (...) {
        return false;
    }
}

bool power_down(const std::filesystem::path& socket, milliseconds grace) {
    return power_down(socket, grace, kRepressInterval);
}

} // namespace holos
