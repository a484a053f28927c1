// Whether QEMU accepted our connection is read from the kernel: sock_diag reports the inode of
// our socket's peer, which is 0 while the peer is still a pending connection in the listener's
// backlog and becomes a real inode once accept() has given it a file. Another client holding
// the console shows in /proc/net/unix as an accepted connection with the socket's path.

#include "console_socket.hpp"

#include "error.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <poll.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>

namespace holos {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// QEMU accepts from its main loop, normally within a millisecond or two.
constexpr milliseconds kAcceptWait{5000};
// A client that has just detached is still listed until QEMU notices and closes its end, so
// another connection only means "busy" once it has been seen this long.
constexpr milliseconds kBusyConfirm{300};
constexpr milliseconds kPollInterval{20};

// /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path", St 03 = connected.
// Pending connections are listed as connecting (02) with inode 0.
bool is_accepted_entry(const std::string& line, const std::string& path) {
    std::istringstream fields(line);
    std::string num, refcount, protocol, flags, type, state, inode, name;
    fields >> num >> refcount >> protocol >> flags >> type >> state >> inode;
    fields.ignore(1);
    std::getline(fields, name);
    return name == path && state == "03" && inode != "0";
}

struct DiagRequest {
    nlmsghdr header;
    unix_diag_req request;
};

DiagRequest peer_request(ino_t inode) {
    DiagRequest message{};
    message.header.nlmsg_len = sizeof(message);
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST;
    message.request.sdiag_family = AF_UNIX;
    message.request.udiag_ino = static_cast<__u32>(inode);
    message.request.udiag_show = UDIAG_SHOW_PEER;
    message.request.udiag_cookie[0] = ~0U; // no cookie: look the socket up by inode alone
    message.request.udiag_cookie[1] = ~0U;
    return message;
}

// The UNIX_DIAG_PEER attribute of a reply, 0 when there is none.
std::optional<__u32> peer_inode(const char* reply, size_t size) {
    auto header = reinterpret_cast<const nlmsghdr*>(reply);
    if (!NLMSG_OK(header, size) || header->nlmsg_type != SOCK_DIAG_BY_FAMILY) {
        return std::nullopt;
    }
    auto message = static_cast<const unix_diag_msg*>(NLMSG_DATA(header));
    auto attribute = reinterpret_cast<const rtattr*>(message + 1);
    size_t left = header->nlmsg_len - NLMSG_LENGTH(sizeof(*message));
    for (; RTA_OK(attribute, left); attribute = RTA_NEXT(attribute, left)) {
        if (attribute->rta_type == UNIX_DIAG_PEER) {
            __u32 inode;
            std::memcpy(&inode, RTA_DATA(attribute), sizeof(inode));
            return inode;
        }
    }
    return 0;
}

// Whether the listener has accepted the connection of `socket`; nullopt when the kernel
// cannot say (no sock_diag for unix sockets).
std::optional<bool> peer_accepted(int socket) {
    struct stat st {};
    UniqueFd netlink(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (::fstat(socket, &st) < 0 || !netlink) {
        return std::nullopt;
    }
    DiagRequest request = peer_request(st.st_ino);
    if (::send(netlink.get(), &request, sizeof(request), 0) < 0) {
        return std::nullopt;
    }
    alignas(nlmsghdr) char reply[8192];
    ssize_t size = ::recv(netlink.get(), reply, sizeof(reply), 0);
    if (size <= 0) {
        return std::nullopt;
    }
    std::optional<__u32> peer = peer_inode(reply, static_cast<size_t>(size));
    if (!peer) {
        return std::nullopt;
    }
    return *peer != 0;
}

bool hung_up(int socket) {
    pollfd fd{socket, 0, 0};
    return ::poll(&fd, 1, 0) > 0 && (fd.revents & (POLLHUP | POLLERR));
}

// A non-blocking connect fails with EAGAIN instead of waiting when the backlog is full,
// which only happens when clients are already queued behind an attached one.
std::optional<ConsoleStatus> connect_to(int socket, const std::filesystem::path& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.native().size() >= sizeof(address.sun_path)) {
        throw Error("connecting to " + path.string() + ": the path is too long");
    }
    std::memcpy(address.sun_path, path.c_str(), path.native().size() + 1);
    if (::connect(socket, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0) {
        return std::nullopt;
    }
    if (errno == ENOENT || errno == ECONNREFUSED) {
        return ConsoleStatus::not_listening;
    }
    if (errno == EAGAIN) {
        return ConsoleStatus::busy;
    }
    throw system_error("connecting to " + path.string(), errno);
}

// Without sock_diag, the count of connections taken before connecting has to decide.
ConsoleStatus wait_for_accept(int socket, const std::filesystem::path& path, int held_before) {
    Clock::time_point deadline = Clock::now() + kAcceptWait;
    constexpr Clock::time_point kNotBusy = Clock::time_point::max();
    Clock::time_point busy_since = kNotBusy;
    while (Clock::now() < deadline) {
        std::optional<bool> accepted = peer_accepted(socket);
        if (!accepted) {
            return held_before > 0 ? ConsoleStatus::busy : ConsoleStatus::attached;
        }
        if (*accepted) {
            return ConsoleStatus::attached;
        }
        if (hung_up(socket)) {
            return ConsoleStatus::not_listening;
        }
        if (accepted_connections(path) == 0) {
            busy_since = kNotBusy;
        } else if (busy_since == kNotBusy) {
            busy_since = Clock::now();
        } else if (Clock::now() - busy_since >= kBusyConfirm) {
            return ConsoleStatus::busy;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
    throw Error("connecting to " + path.string() + ": QEMU did not accept the connection");
}

} // namespace

int accepted_connections(const std::filesystem::path& path) {
    std::ifstream table("/proc/net/unix");
    int count = 0;
    std::string line;
    while (std::getline(table, line)) {
        count += is_accepted_entry(line, path.string()) ? 1 : 0;
    }
    return count;
}

ConsoleConnection connect_console(const std::filesystem::path& path) {
    ConsoleConnection connection;
    int held_before = accepted_connections(path);
    UniqueFd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!socket) {
        throw system_error("creating a socket", errno);
    }
    if (std::optional<ConsoleStatus> failed = connect_to(socket.get(), path)) {
        connection.status = *failed;
        return connection;
    }

    connection.status = wait_for_accept(socket.get(), path, held_before);
    if (connection.status == ConsoleStatus::attached) {
        connection.socket = std::move(socket);
    }
    return connection;
}

} // namespace holos
