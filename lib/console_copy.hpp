// The byte pump behind `holosctl console`: the user's input goes to a guest's serial console
// socket and the guest's output comes back, until the user types the escape key, the input
// ends, the console closes or the caller asks to stop.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace holos {

// The byte that detaches, or none: then only the end of input or a stop detaches.
using EscapeKey = std::optional<unsigned char>;

inline constexpr unsigned char kDefaultEscapeKey = 0x1d; // Ctrl-], as telnet and virsh

// Reads "^]" or "ctrl-]" (any letter or one of @[\]^_?), a single character, or "none".
// Returns false when `text` is none of these.
bool parse_escape_key(std::string_view text, EscapeKey& key);

// How to type `key`: "Ctrl-]", or the character itself.
std::string escape_key_name(unsigned char key);

struct ConsoleEnds {
    int input = -1;   // what the user types (stdin)
    int output = -1;  // where the guest's output goes (stdout)
    int console = -1; // the connected console socket
    int stop = -1;    // readable when the copy must end (a signalfd); -1 for none
};

enum class CopyEnd {
    escape,         // the user typed the escape key
    input_closed,   // end of input
    console_closed, // the other side closed the socket (QEMU exited)
    stopped,        // `stop` became readable
};

// Copies both ways until one of the CopyEnd events. Input typed before the escape key and
// output received before the console closed are delivered first. The socket need not be
// non-blocking; writes to `output` may block. Throws Error on other I/O errors.
CopyEnd copy_console(const ConsoleEnds& ends, EscapeKey escape);

} // namespace holos
