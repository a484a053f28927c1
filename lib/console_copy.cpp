// One poll loop moves bytes both ways. Each direction holds at most one read's worth of bytes
// and reads again only once they are written, so a guest that stops reading its serial port
// (QEMU then stops reading the socket) stalls that direction without blocking the loop: the
// escape key and signals still end it. Socket calls use MSG_DONTWAIT, so the caller's socket
// flags do not matter.

#include "console_copy.hpp"

#include "error.hpp"

#include <array>
#include <cctype>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace holos {
namespace {

constexpr size_t kChunkBytes = 4096;

std::optional<unsigned char> control_byte(char c) {
    unsigned char upper = static_cast<unsigned char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == '?') {
        return 0x7f;
    }
    if (upper >= '@' && upper <= '_') {
        return upper & 0x1f;
    }
    return std::nullopt;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) {
        return false;
    }
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
            return false;
        }
    }
    return true;
}

class Copier {
public:
    Copier(const ConsoleEnds& ends, EscapeKey escape) : ends_(ends), escape_(escape) {}

    CopyEnd run() {
        while (!finished()) {
            if (wait_and_move()) {
                return CopyEnd::stopped;
            }
        }
        return *ending_;
    }

private:
    enum Slot { kStop, kInput, kConsole, kOutput, kSlots };

    // Once an ending is known, only what is already buffered is delivered: input up to the
    // escape key, or the output that arrived before the console closed.
    bool finished() const {
        if (!ending_) {
            return false;
        }
        if (*ending_ == CopyEnd::console_closed) {
            return to_output_.empty();
        }
        return to_console_.empty() && to_output_.empty();
    }

    // Returns true when the stop descriptor became readable.
    bool wait_and_move() {
        std::array<pollfd, kSlots> fds = poll_set();
        while (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno != EINTR) {
                throw system_error("waiting for console input", errno);
            }
        }
        if (fds[kStop].revents != 0) {
            return true;
        }
        if (fds[kInput].revents != 0) {
            read_input();
        }
        if (fds[kConsole].revents & (POLLOUT | POLLERR)) {
            send_to_console();
        }
        if (fds[kConsole].revents & (POLLIN | POLLHUP | POLLERR)) {
            receive_from_console();
        }
        if (fds[kOutput].revents != 0) {
            write_output();
        }
        return false;
    }

    std::array<pollfd, kSlots> poll_set() const {
        bool closed = ending_ == CopyEnd::console_closed;
        std::array<pollfd, kSlots> fds{};
        fds[kStop] = {ends_.stop, POLLIN, 0};
        fds[kInput] = {ending_ || !to_console_.empty() ? -1 : ends_.input, POLLIN, 0};
        short console_events = 0;
        if (!ending_ && to_output_.empty()) {
            console_events |= POLLIN;
        }
        if (!closed && !to_console_.empty()) {
            console_events |= POLLOUT;
        }
        fds[kConsole] = {console_events ? ends_.console : -1, console_events, 0};
        fds[kOutput] = {to_output_.empty() ? -1 : ends_.output, POLLOUT, 0};
        return fds;
    }

    // A terminal that went away reads as EIO; that ends the input like EOF does.
    void read_input() {
        char buffer[kChunkBytes];
        ssize_t count = ::read(ends_.input, buffer, sizeof(buffer));
        if (count < 0 && (errno == EINTR || errno == EAGAIN)) {
            return;
        }
        if (count < 0 && errno != EIO) {
            throw system_error("reading input", errno);
        }
        if (count <= 0) {
            ending_ = CopyEnd::input_closed;
            return;
        }
        std::string_view typed(buffer, static_cast<size_t>(count));
        size_t at = escape_ ? typed.find(static_cast<char>(*escape_)) : std::string_view::npos;
        if (at != std::string_view::npos) {
            typed = typed.substr(0, at);
            ending_ = CopyEnd::escape;
        }
        to_console_.assign(typed);
    }

    void send_to_console() {
        ssize_t count = ::send(ends_.console, to_console_.data(), to_console_.size(),
                               MSG_DONTWAIT | MSG_NOSIGNAL);
        if (count >= 0) {
            to_console_.erase(0, static_cast<size_t>(count));
        } else if (errno == EPIPE || errno == ECONNRESET) {
            console_closed();
        } else if (errno != EAGAIN && errno != EINTR) {
            throw system_error("writing to the console", errno);
        }
    }

    void receive_from_console() {
        char buffer[kChunkBytes];
        ssize_t count = ::recv(ends_.console, buffer, sizeof(buffer), MSG_DONTWAIT);
        if (count > 0) {
            to_output_.assign(buffer, static_cast<size_t>(count));
        } else if (count == 0 || errno == ECONNRESET) {
            console_closed();
        } else if (errno != EAGAIN && errno != EINTR) {
            throw system_error("reading the console", errno);
        }
    }

    void write_output() {
        ssize_t count = ::write(ends_.output, to_output_.data(), to_output_.size());
        if (count >= 0) {
            to_output_.erase(0, static_cast<size_t>(count));
        } else if (errno != EAGAIN && errno != EINTR) {
            throw system_error("writing output", errno);
        }
    }

    // Input not yet sent has nowhere to go.
    void console_closed() {
        ending_ = CopyEnd::console_closed;
        to_console_.clear();
    }

    ConsoleEnds ends_;
    EscapeKey escape_;
    std::string to_console_;
    std::string to_output_;
    std::optional<CopyEnd> ending_;
};

} // namespace

bool parse_escape_key(std::string_view text, EscapeKey& key) {
    if (text == "none") {
        key = std::nullopt;
        return true;
    }
    std::string_view rest;
    if (text.size() == 2 && text[0] == '^') {
        rest = text.substr(1);
    } else if (text.size() == 6 && starts_with_ignoring_case(text, "ctrl-")) {
        rest = text.substr(5);
    } else if (text.size() == 1) {
        key = static_cast<unsigned char>(text[0]);
        return true;
    } else {
        return false;
    }
    std::optional<unsigned char> byte = control_byte(rest[0]);
    if (byte) {
        key = *byte;
    }
    return byte.has_value();
}

std::string escape_key_name(unsigned char key) {
    if (key == 0x7f) {
        return "Ctrl-?";
    }
    if (key < 0x20) {
        return std::string("Ctrl-") + static_cast<char>(key | 0x40);
    }
    return std::string(1, static_cast<char>(key));
}

CopyEnd copy_console(const ConsoleEnds& ends, EscapeKey escape) {
    return Copier(ends, escape).run();
}

} // namespace holos
