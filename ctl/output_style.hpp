// Colour in holosctl's output: only when the stream is a terminal, TERM is not "dumb" and
// NO_COLOR is unset or empty (https://no-color.org), so pipes and logs get plain text.
#pragma once

#include <string>

namespace holos::ctl {

enum class Colour { red, green, yellow, blue, magenta, cyan };

// Whether output to `fd` may be coloured.
bool colour_enabled(int fd);

// `text` wrapped in the escape codes for `colour`, or unchanged when `enabled` is false.
std::string paint(const std::string& text, Colour colour, bool enabled);

// A colour per position, cycling, so neighbouring instances in a listing differ.
Colour colour_for_index(size_t index);

} // namespace holos::ctl
