// The local terminal while a console is attached: raw mode, so every key (Ctrl-C, Ctrl-Z,
// arrows) reaches the guest as typed, and the settings found before put back afterwards.
#pragma once

#include <termios.h>

namespace holos {

// Whether `fd` is a terminal.
bool is_terminal(int fd);

// Raw mode on `fd` for the guard's lifetime. The destructor restores the exact settings found
// at construction, so every way out of a scope (return, exception) leaves the terminal usable.
class RawTerminal {
public:
    // Saves the settings of `fd` and switches it to raw mode. Throws Error.
    explicit RawTerminal(int fd);
    ~RawTerminal();
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

    // Puts the saved settings back now (idempotent); the destructor then does nothing.
    // Throws Error.
    void restore();

private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

} // namespace holos
