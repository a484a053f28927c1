#include "host_ports.hpp"

#include "atomic_file.hpp"
#include "error.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

namespace holos {
namespace {

class Socket {
public:
    explicit Socket(const std::string& protocol)
        : fd_(::socket(AF_INET, (protocol == "udp" ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC,
                       0)) {
        if (fd_ < 0) {
            throw system_error("creating a socket", errno);
        }
        int on = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    }
    ~Socket() { ::close(fd_); }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return fd_; }

private:
    int fd_;
};

sockaddr_in address(const std::string& ip, std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1) {
        throw Error("invalid IPv4 address \"" + ip + "\"");
    }
    return addr;
}

} // namespace

bool port_free(const std::string& protocol, const std::string& ip, std::uint16_t port,
               std::string& reason) {
    Socket socket(protocol);
    sockaddr_in addr = address(ip, port);
    if (::bind(socket.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
        reason = std::strerror(errno);
        return false;
    }
    return true;
}

std::uint16_t pick_free_port(const std::string& protocol, const std::string& ip,
                             const std::set<std::uint16_t>& avoid) {
    for (int attempt = 0; attempt < 64; ++attempt) {
        Socket socket(protocol);
        sockaddr_in addr = address(ip, 0);
        if (::bind(socket.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
            throw system_error("choosing a free port", errno);
        }
        socklen_t length = sizeof addr;
        ::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&addr), &length);
        std::uint16_t port = ntohs(addr.sin_port);
        if (!avoid.contains(port)) {
            return port;
        }
    }
    throw Error("choosing a free port: none found outside the ports already in use");
}

} // namespace holos

namespace holos {

// Each line after the header: "sl local_address rem_address ...", local_address being
// HEXADDR:HEXPORT.
std::set<std::uint16_t> udp_ports_in_table(std::string_view table) {
    std::set<std::uint16_t> ports;
    std::istringstream lines{std::string(table)};
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string slot, local;
        fields >> slot >> local;
        std::size_t colon = local.rfind(':');
        if (colon == std::string::npos) {
            continue;
        }
        try {
            unsigned long port = std::stoul(local.substr(colon + 1), nullptr, 16);
            if (port > 0 && port <= 65535) {
                ports.insert(static_cast<std::uint16_t>(port));
            }
        } catch (const std::exception&) {
            // Not a table line; nothing to learn from it.
        }
    }
    return ports;
}

std::set<std::uint16_t> bound_udp_ports() {
    std::set<std::uint16_t> ports;
    for (const char* table : {"/proc/net/udp", "/proc/net/udp6"}) {
        try {
            ports.merge(udp_ports_in_table(read_file(table)));
        } catch (const Error&) {
            // No IPv6, or no /proc: other checks still keep segments apart.
        }
    }
    return ports;
}

} // namespace holos
