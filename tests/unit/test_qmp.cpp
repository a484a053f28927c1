#include "qmp.hpp"

#include "error.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

using holos::testing_support::TempDir;

// Binds a unix socket at `path`; listens unless `listen` is false (connecting then fails
// with ECONNREFUSED, like a socket file left behind by a dead QEMU).
int bind_unix(const fs::path& path, bool listen) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0 ||
        (listen && ::listen(fd, 1) < 0)) {
        throw std::runtime_error(std::string("fake QEMU socket: ") + std::strerror(errno));
    }
    return fd;
}

// The QEMU side of one connection, with blocking reads bounded by a receive timeout so a
// broken test fails instead of hanging.
class Peer {
public:
    explicit Peer(int fd) : fd_(fd) {
        timeval limit{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
    }
    ~Peer() { close(); }

    void send(const json& message) {
        std::string line = message.dump() + "\r\n"; // QEMU ends its lines with CRLF
        ::send(fd_, line.data(), line.size(), MSG_NOSIGNAL);
    }

    // The next command, or a null json once the client has gone.
    json read_command() {
        size_t end;
        while ((end = buffer_.find('\n')) == std::string::npos) {
            char chunk[1024];
            ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
            if (n <= 0) {
                return nullptr;
            }
            buffer_.append(chunk, static_cast<size_t>(n));
        }
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return json::parse(line);
    }

    // The name of the next command; empty once the client has gone.
    std::string read_execute() {
        json command = read_command();
        return command.is_object() ? command.value("execute", "") : "";
    }

    // Greets the client and answers qmp_capabilities, as QEMU does on every new connection.
    void handshake() {
        send({{"QMP", {{"version", {{"qemu", {{"major", 8}}}}}, {"capabilities", json::array()}}}});
        if (read_execute() == "qmp_capabilities") {
            send({{"return", json::object()}});
        }
    }

    // Answers commands with an empty return until the client disconnects.
    void answer_until_gone() {
        while (!read_command().is_null()) {
            send({{"return", json::object()}});
        }
    }

    void close() {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }

private:
    int fd_;
    std::string buffer_;
};

// A fake QEMU monitor: listens on DIR/qmp.sock and runs `script` against the first client in
// a thread. Tests call join() before looking at what the script recorded.
class FakeQemu {
public:
    FakeQemu(const TempDir& dir, std::function<void(Peer&)> script)
        : socket_(dir.path() / "qmp.sock"), listen_fd_(bind_unix(socket_, true)),
          thread_([this, script] { serve(script); }) {}
    ~FakeQemu() {
        join();
        ::close(listen_fd_);
    }
    const fs::path& socket() const { return socket_; }
    void join() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }

private:
    void serve(const std::function<void(Peer&)>& script) {
        pollfd pfd{listen_fd_, POLLIN, 0};
        if (::poll(&pfd, 1, 5000) <= 0) {
            return;
        }
        Peer peer(::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC));
        script(peer);
    }

    fs::path socket_;
    int listen_fd_;
    std::thread thread_;
};

// Milliseconds spent in `action`.
template <typename Action>
long elapsed_ms(Action action) {
    auto start = std::chrono::steady_clock::now();
    action();
    auto spent = std::chrono::steady_clock::now() - start;
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(spent).count());
}

} // namespace

TEST(QmpClient, NegotiatesCapabilitiesBeforeAnyCommand) {
    TempDir dir;
    std::string first;
    FakeQemu qemu(dir, [&](Peer& peer) {
        peer.send({{"QMP", json::object()}});
        first = peer.read_execute();
        peer.send({{"return", json::object()}});
        peer.answer_until_gone();
    });
    { holos::QmpClient client(qemu.socket(), 2s); }
    qemu.join();
    EXPECT_EQ(first, "qmp_capabilities");
}

TEST(QmpClient, ReturnsTheReturnMember) {
    TempDir dir;
    FakeQemu qemu(dir, [](Peer& peer) {
        peer.handshake();
        peer.read_command();
        peer.send({{"return", {{"status", "running"}, {"running", true}}}});
        peer.answer_until_gone();
    });
    holos::QmpClient client(qemu.socket(), 2s);
    json status = client.execute("query-status");
    EXPECT_EQ(status["status"], "running");
}

TEST(QmpClient, SendsArgumentsOnlyWhenGiven) {
    TempDir dir;
    json plain;
    json with_arguments;
    FakeQemu qemu(dir, [&](Peer& peer) {
        peer.handshake();
        plain = peer.read_command();
        peer.send({{"return", json::object()}});
        with_arguments = peer.read_command();
        peer.send({{"return", json::object()}});
        peer.answer_until_gone();
    });
    {
        holos::QmpClient client(qemu.socket(), 2s);
        client.execute("query-status");
        client.execute("human-monitor-command", {{"command-line", "info version"}});
    }
    qemu.join();
    EXPECT_EQ(plain, json({{"execute", "query-status"}}));
    EXPECT_EQ(with_arguments, json({{"execute", "human-monitor-command"},
                                    {"arguments", {{"command-line", "info version"}}}}));
}

TEST(QmpClient, SkipsEventsBeforeTheReply) {
    TempDir dir;
    FakeQemu qemu(dir, [](Peer& peer) {
        peer.handshake();
        peer.read_command();
        peer.send({{"event", "POWERDOWN"}, {"timestamp", {{"seconds", 1}, {"microseconds", 2}}}});
        peer.send({{"event", "RESUME"}, {"timestamp", {{"seconds", 1}, {"microseconds", 3}}}});
        peer.send({{"return", {{"status", "running"}}}});
        peer.answer_until_gone();
    });
    holos::QmpClient client(qemu.socket(), 2s);
    EXPECT_EQ(client.execute("query-status")["status"], "running");
}

TEST(QmpClient, ThrowsQemuDescriptionOnAnErrorReply) {
    TempDir dir;
    FakeQemu qemu(dir, [](Peer& peer) {
        peer.handshake();
        peer.read_command();
        peer.send(
            {{"error",
              {{"class", "CommandNotFound"}, {"desc", "The command bogus has not been found"}}}});
        peer.answer_until_gone();
    });
    holos::QmpClient client(qemu.socket(), 2s);
    try {
        client.execute("bogus");
        FAIL() << "expected holos::Error";
    } catch (const holos::Error& e) {
        EXPECT_STREQ(e.what(), "QMP command \"bogus\": The command bogus has not been found");
    }
}

TEST(QmpClient, ThrowsWhenTheReplyDoesNotComeInTime) {
    TempDir dir;
    FakeQemu qemu(dir, [](Peer& peer) {
        peer.handshake();
        peer.read_command(); // and never answer
        peer.read_command();
    });
    holos::QmpClient client(qemu.socket(), 200ms);
    try {
        client.execute("query-status");
        FAIL() << "expected holos::Error";
    } catch (const holos::Error& e) {
        EXPECT_STREQ(e.what(), "QMP command \"query-status\": no reply within 200 ms");
    }
}

TEST(QmpClient, ThrowsWhenQemuClosesBeforeReplying) {
    TempDir dir;
    FakeQemu qemu(dir, [](Peer& peer) {
        peer.handshake();
        peer.read_command();
        peer.close();
    });
    holos::QmpClient client(qemu.socket(), 2s);
    EXPECT_THROW(client.execute("query-status"), holos::Error);
}

TEST(QmpClient, ThrowsWhenTheGreetingIsNotQmp) {
    TempDir dir;
    FakeQemu qemu(dir, [](Peer& peer) {
        peer.send({{"hello", "world"}});
        peer.answer_until_gone();
    });
    try {
        holos::QmpClient client(qemu.socket(), 2s);
        FAIL() << "expected holos::Error";
    } catch (const holos::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "connecting to QEMU at " + qemu.socket().string() + ": unexpected greeting");
    }
}

TEST(QmpClient, ThrowsNamingTheSocketWhenItIsMissing) {
    TempDir dir;
    fs::path socket = dir.path() / "qmp.sock";
    try {
        holos::QmpClient client(socket, 2s);
        FAIL() << "expected holos::Error";
    } catch (const holos::Error& e) {
        EXPECT_EQ(std::string(e.what()), "connecting to QEMU at " + socket.string() +
                                             ": connecting: No such file or directory");
    }
}

TEST(QmpClient, WaitClosedReturnsTrueWhenQemuExits) {
    TempDir dir;
    FakeQemu qemu(dir, [](Peer& peer) {
        peer.handshake();
        peer.send({{"event", "SHUTDOWN"}});
        peer.close();
    });
    holos::QmpClient client(qemu.socket(), 2s);
    EXPECT_TRUE(client.wait_closed(2s));
}

TEST(QmpClient, WaitClosedReturnsFalseOnTimeout) {
    TempDir dir;
    FakeQemu qemu(dir, [](Peer& peer) {
        peer.handshake();
        peer.answer_until_gone();
    });
    holos::QmpClient client(qemu.socket(), 2s);
    EXPECT_FALSE(client.wait_closed(100ms));
}

TEST(PowerDown, ReturnsTrueWhenQemuExitsAfterThePress) {
    TempDir dir;
    int presses = 0;
    FakeQemu qemu(dir, [&](Peer& peer) {
        peer.handshake();
        if (peer.read_execute() == "system_powerdown") {
            ++presses;
            peer.send({{"return", json::object()}});
            peer.send({{"event", "POWERDOWN"}});
        }
        peer.close();
    });
    bool exited = false;
    long spent = elapsed_ms([&] { exited = holos::power_down(qemu.socket(), 10s); });
    qemu.join();
    EXPECT_TRUE(exited);
    EXPECT_EQ(presses, 1);
    EXPECT_LT(spent, 2000);
}

TEST(PowerDown, PressesAgainWhenTheGuestIgnoredThePress) {
    TempDir dir;
    int presses = 0;
    FakeQemu qemu(dir, [&](Peer& peer) {
        peer.handshake();
        while (peer.read_execute() == "system_powerdown") {
            peer.send({{"return", json::object()}});
            if (++presses == 2) {
                break;
            }
        }
        peer.close();
    });
    bool exited = holos::power_down(qemu.socket(), 5s, 100ms);
    qemu.join();
    EXPECT_TRUE(exited);
    EXPECT_EQ(presses, 2);
}

TEST(PowerDown, ReturnsFalseWhenQemuOutlivesTheGracePeriod) {
    TempDir dir;
    std::atomic<int> presses = 0;
    FakeQemu qemu(dir, [&](Peer& peer) {
        peer.handshake();
        while (peer.read_execute() == "system_powerdown") {
            ++presses;
            peer.send({{"return", json::object()}});
        }
    });
    bool exited = true;
    long spent = elapsed_ms([&] { exited = holos::power_down(qemu.socket(), 350ms, 100ms); });
    qemu.join();
    EXPECT_FALSE(exited);
    EXPECT_GE(spent, 350);
    EXPECT_LT(spent, 2000);
    EXPECT_GE(presses, 2);
}

TEST(PowerDown, ReturnsFalseWhenTheSocketIsMissing) {
    TempDir dir;
    EXPECT_FALSE(holos::power_down(dir.path() / "qmp.sock", 1s));
}

TEST(PowerDown, ReturnsFalseWhenNobodyListens) {
    TempDir dir;
    fs::path socket = dir.path() / "qmp.sock";
    int fd = bind_unix(socket, false);
    EXPECT_FALSE(holos::power_down(socket, 1s));
    ::close(fd);
}
