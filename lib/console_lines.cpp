// Escape sequences follow ECMA-48: ESC [ ... final byte (CSI, colours and cursor moves),
// ESC ] or ESC P ... ending in BEL or ESC \ (OSC and DCS strings, window titles), and ESC
// followed by one character for the rest.

#include "console_lines.hpp"

namespace holos {
namespace {

constexpr char kEscape = '\x1b';
constexpr char kBell = '\x07';

bool is_final_byte(char c) {
    return c >= '@' && c <= '~';
}

bool is_kept(char c) {
    auto byte = static_cast<unsigned char>(c);
    return c == '\t' || (byte >= 0x20 && byte != 0x7f);
}

} // namespace

void ConsoleLines::end_line(std::vector<std::string>& done) {
    done.push_back(std::move(line_));
    line_.clear();
}

void ConsoleLines::add_text(char c, std::vector<std::string>& done) {
    if (c == '\n') {
        end_line(done);
    } else if (c == kEscape) {
        state_ = State::escape;
    } else if (is_kept(c)) {
        line_ += c;
        if (line_.size() >= kMaxConsoleLineBytes) {
            end_line(done);
        }
    }
}

std::vector<std::string> ConsoleLines::feed(std::string_view bytes) {
    std::vector<std::string> done;
    for (char c : bytes) {
        switch (state_) {
        case State::text:
            add_text(c, done);
            break;
        case State::escape:
            state_ = c == '[' ? State::control_sequence
                     : c == ']' || c == 'P' ? State::string_sequence
                                            : State::text;
            break;
        case State::control_sequence:
            if (is_final_byte(c)) {
                state_ = State::text;
            }
            break;
        case State::string_sequence:
            state_ = c == kBell ? State::text : c == kEscape ? State::string_escape : state_;
            break;
        case State::string_escape:
            state_ = c == '\\' ? State::text : State::string_sequence;
            break;
        }
    }
    return done;
}

std::string ConsoleLines::take_partial() {
    std::string partial = std::move(line_);
    line_.clear();
    return partial.find_first_not_of(" \t") == std::string::npos ? std::string() : partial;
}

} // namespace holos
