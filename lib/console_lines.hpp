// Turning a guest's serial console output into journal lines. The console is a terminal
// stream: lines end in CR LF, boot messages carry colour escapes, and a login prompt or a
// progress spinner may never end its line. Journal readers want plain text, one line each.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace holos {

// Longest line kept whole; a longer one is cut into pieces of this size, so a guest that
// never prints a newline cannot make the reader buffer without bound.
inline constexpr size_t kMaxConsoleLineBytes = 4096;

// Splits console bytes into lines, dropping carriage returns, terminal escape sequences and
// other control characters (tabs are kept). Sequences and lines may be split across feeds.
class ConsoleLines {
public:
    // Returns the lines completed by `bytes`, without their line ends.
    std::vector<std::string> feed(std::string_view bytes);

    // The unfinished last line, if it holds any text, and forgets it.
    std::string take_partial();

private:
    enum class State { text, escape, control_sequence, string_sequence, string_escape };

    void add_text(char c, std::vector<std::string>& done);
    void end_line(std::vector<std::string>& done);

    std::string line_;
    State state_ = State::text;
};

} // namespace holos
