// Splits a Dockerfile into instructions the way Docker's own reader does: the "# escape="
// parser directive, comment lines, line continuations, heredocs ("<<EOF" ... "EOF") and the
// quoting of words. It knows nothing of what instructions mean.
#pragma once

#include "diagnostics.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos::dockerfile {

struct Heredoc {
    std::string name;        // the delimiter word
    std::string body;        // every line up to the delimiter, each ending in "\n"
    bool strip_tabs = false; // "<<-EOF"
    bool quoted = false;     // "<<'EOF'" or "<<\"EOF\"": no expansion in the body
};

struct Instruction {
    std::string keyword;           // uppercase
    std::string arguments;         // the rest, continuation lines joined, trimmed
    SourceMark at;                 // of the keyword
    std::vector<Heredoc> heredocs; // RUN and COPY only, in order
};

struct Problem {
    SourceMark at;
    std::string message;
};

struct Lexed {
    std::vector<Instruction> instructions;
    std::vector<Problem> problems;
    char escape = '\\';
};

Lexed lex(std::string_view text);

// One word of an instruction's arguments as a list of pieces: text in single quotes is taken
// literally, everything else may hold "$VAR" references, which the guest's shell expands
// (Docker expands them itself, with the same syntax, at build time).
struct WordPiece {
    std::string text; // quotes and escapes removed
    bool literal = false;
};

struct Word {
    std::vector<WordPiece> pieces;
    std::size_t offset = 0; // where it starts in the arguments, for diagnostics

    // The text with quotes removed and nothing expanded.
    std::string plain() const;
    // One POSIX shell word that expands "$VAR" and "${VAR...}" and nothing else.
    std::string shell() const;
};

// Splits arguments on unquoted white space. Returns nullopt with `problem` set on an
// unterminated quote.
std::optional<std::vector<Word>> split_words(std::string_view arguments, char escape,
                                             std::string& problem);

// A JSON array of strings ("exec form"), or nullopt if `arguments` is not one.
std::optional<std::vector<std::string>> json_array(std::string_view arguments);

// Single quotes keep every character literal in POSIX sh.
std::string shell_quote(std::string_view value);

} // namespace holos::dockerfile
