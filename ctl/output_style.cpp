#include "output_style.hpp"

#include <array>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace holos::ctl {

bool colour_enabled(int fd) {
    const char* no_colour = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return isatty(fd) != 0 && (no_colour == nullptr || *no_colour == '\0') &&
           (term == nullptr || std::strcmp(term, "dumb") != 0);
}

std::string paint(const std::string& text, Colour colour, bool enabled) {
    if (!enabled) {
        return text;
    }
    int code = 31 + static_cast<int>(colour); // ANSI foreground colours, in Colour's order
    return "\x1b[" + std::to_string(code) + "m" + text + "\x1b[0m";
}

Colour colour_for_index(size_t index) {
    static constexpr std::array kCycle = {Colour::cyan, Colour::yellow, Colour::green,
                                          Colour::magenta, Colour::blue};
    return kCycle[index % kCycle.size()];
}

} // namespace holos::ctl
