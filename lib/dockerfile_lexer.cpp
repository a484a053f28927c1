// The Dockerfile reader's lexical rules, after Docker's reference: parser directives only at
// the very top, "#" comments only at the start of a line (also between continuation lines),
// an escape character at the end of a line joining it with the next, heredoc bodies taken
// verbatim from the lines after their instruction.
#include "dockerfile_lexer.hpp"

#include <nlohmann/json.hpp>

namespace holos::dockerfile {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_blank(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        lines.push_back(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    }
    return lines;
}

bool is_comment(std::string_view line) {
    std::string_view body = trim(line);
    return !body.empty() && body.front() == '#';
}

// "# escape=`" and "# syntax=...": only before anything else, blank lines included.
std::size_t read_directives(const std::vector<std::string_view>& lines, Lexed& out) {
    std::size_t index = 0;
    for (; index < lines.size(); ++index) {
        std::string_view line = trim(lines[index]);
        std::size_t equals = line.find('=');
        if (!line.starts_with('#') || equals == std::string_view::npos) {
            break;
        }
        std::string_view name = trim(line.substr(1, equals - 1));
        std::string_view value = trim(line.substr(equals + 1));
        if (name == "escape") {
            if (value != "\\" && value != "`") {
                out.problems.push_back({{static_cast<int>(index) + 1, 1},
                                        "the escape directive takes \"\\\" or \"`\""});
            } else {
                out.escape = value.front();
            }
        } else if (name != "syntax" && name != "check") {
            break; // an ordinary comment that happens to hold "="
        }
    }
    return index;
}

bool is_name_char(char c, bool first) {
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return letter || (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
}

// Every "<<NAME", "<<-NAME", "<<'NAME'" or "<<\"NAME\"" outside quotes.
std::vector<Heredoc> heredoc_markers(std::string_view args) {
    std::vector<Heredoc> found;
    char quote = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
        char c = args[i];
        if (quote != 0) {
            quote = c == quote ? 0 : quote;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            continue;
        }
        if (!args.substr(i).starts_with("<<") || args.substr(i).starts_with("<<<")) {
            continue;
        }
        Heredoc doc;
        std::size_t at = i + 2;
        if (at < args.size() && args[at] == '-') {
            doc.strip_tabs = true;
            ++at;
        }
        char delimiter = at < args.size() && (args[at] == '\'' || args[at] == '"') ? args[at] : 0;
        at += delimiter != 0 ? 1 : 0;
        std::size_t start = at;
        while (at < args.size() && is_name_char(args[at], at == start)) {
            ++at;
        }
        if (at == start || (delimiter != 0 && (at >= args.size() || args[at] != delimiter))) {
            continue;
        }
        doc.name = std::string(args.substr(start, at - start));
        doc.quoted = delimiter != 0;
        found.push_back(std::move(doc));
        i = at;
    }
    return found;
}

std::string_view without_tabs(std::string_view line, bool strip) {
    while (strip && !line.empty() && line.front() == '\t') {
        line.remove_prefix(1);
    }
    return line;
}

// Reads the bodies of `docs` from lines[index...]; returns the index after the last one.
std::size_t read_heredocs(const std::vector<std::string_view>& lines, std::size_t index,
                          Instruction& instruction, Lexed& out) {
    for (Heredoc& doc : instruction.heredocs) {
        bool closed = false;
        while (index < lines.size() && !closed) {
            std::string_view line = lines[index++];
            if (!line.empty() && line.back() == '\r') {
                line.remove_suffix(1);
            }
            closed = without_tabs(line, doc.strip_tabs) == doc.name;
            if (!closed) {
                doc.body += std::string(line) + "\n";
            }
        }
        if (!closed) {
            out.problems.push_back(
                {instruction.at,
                 "the heredoc \"" + doc.name + "\" has no closing \"" + doc.name + "\" line"});
        }
    }
    return index;
}

// Joins lines[index...] while they end in the escape character; returns the next index.
std::size_t read_instruction(const std::vector<std::string_view>& lines, std::size_t index,
                             Lexed& out) {
    std::string_view first = lines[index];
    std::size_t column = first.find_first_not_of(" \t");
    Instruction instruction;
    instruction.at = {static_cast<int>(index) + 1, static_cast<int>(column) + 1};
    std::string joined;
    bool more = true;
    for (bool first_line = true; more && index < lines.size(); first_line = false) {
        std::string_view line = lines[index++];
        if (!first_line && (is_comment(line) || trim(line).empty())) {
            continue;
        }
        // Leading blanks of a continuation line are kept, as Docker keeps them.
        std::string_view body = first_line ? trim(line) : line;
        while (!body.empty() && is_blank(body.back())) {
            body.remove_suffix(1);
        }
        more = !body.empty() && body.back() == out.escape;
        joined += std::string(more ? body.substr(0, body.size() - 1) : body);
    }
    std::string_view text = trim(joined);
    std::size_t space = text.find_first_of(" \t");
    for (char c : text.substr(0, space)) {
        instruction.keyword += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    instruction.arguments =
        space == std::string_view::npos ? std::string() : std::string(trim(text.substr(space)));
    if (instruction.keyword == "RUN" || instruction.keyword == "COPY" ||
        instruction.keyword == "ADD") {
        instruction.heredocs = heredoc_markers(instruction.arguments);
        index = read_heredocs(lines, index, instruction, out);
    }
    out.instructions.push_back(std::move(instruction));
    return index;
}

// A "$" that starts an expansion the shell may do; any other "$" is literal.
bool starts_expansion(std::string_view text, std::size_t at) {
    return at + 1 < text.size() && (text[at + 1] == '{' || is_name_char(text[at + 1], true));
}

// Inside double quotes, the shell treats "\", "`", "\"" and "$" specially.
std::string expandable(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool keep = c == '$' && starts_expansion(text, i);
        if (c == '\\' || c == '`' || c == '"' || (c == '$' && !keep)) {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

} // namespace

Lexed lex(std::string_view text) {
    Lexed out;
    std::vector<std::string_view> lines = split_lines(text);
    std::size_t index = read_directives(lines, out);
    while (index < lines.size()) {
        if (is_comment(lines[index]) || trim(lines[index]).empty()) {
            ++index;
            continue;
        }
        index = read_instruction(lines, index, out);
    }
    return out;
}

std::string Word::plain() const {
    std::string out;
    for (const WordPiece& piece : pieces) {
        out += piece.text;
    }
    return out;
}

std::string Word::shell() const {
    std::string out;
    for (const WordPiece& piece : pieces) {
        if (piece.literal || !piece.text.empty()) {
            out += piece.literal ? shell_quote(piece.text) : expandable(piece.text);
        }
    }
    return out.empty() ? "''" : out;
}

std::optional<std::vector<Word>> split_words(std::string_view args, char escape,
                                             std::string& problem) {
    std::vector<Word> words;
    std::size_t i = 0;
    while (true) {
        while (i < args.size() && is_blank(args[i])) {
            ++i;
        }
        if (i >= args.size()) {
            return words;
        }
        Word word;
        word.offset = i;
        WordPiece piece;
        auto flush = [&](bool next_literal) {
            if (!piece.text.empty() || piece.literal) {
                word.pieces.push_back(piece);
            }
            piece = WordPiece{{}, next_literal};
        };
        // An escaped "$" stays a "$": a literal piece of its own.
        auto add_escaped = [&](char c) {
            if (c != '$') {
                piece.text += c;
                return;
            }
            bool literal = piece.literal;
            flush(true);
            piece.text = "$";
            flush(literal);
        };
        for (; i < args.size() && !is_blank(args[i]); ++i) {
            char c = args[i];
            if (c == escape && i + 1 < args.size()) {
                add_escaped(args[++i]);
            } else if (c == '\'') {
                flush(true);
                std::size_t end = args.find('\'', i + 1);
                if (end == std::string_view::npos) {
                    problem = "unterminated single quote";
                    return std::nullopt;
                }
                piece.text = std::string(args.substr(i + 1, end - i - 1));
                flush(false);
                i = end;
            } else if (c == '"') {
                flush(false);
                std::size_t j = i + 1;
                for (; j < args.size() && args[j] != '"'; ++j) {
                    bool escaped =
                        args[j] == escape && j + 1 < args.size() &&
                        (args[j + 1] == '"' || args[j + 1] == escape || args[j + 1] == '$');
                    if (escaped) {
                        add_escaped(args[++j]);
                    } else {
                        piece.text += args[j];
                    }
                }
                if (j >= args.size()) {
                    problem = "unterminated double quote";
                    return std::nullopt;
                }
                flush(false);
                i = j;
            } else {
                piece.text += c;
            }
        }
        flush(false);
        words.push_back(std::move(word));
    }
}

std::optional<std::vector<std::string>> json_array(std::string_view args) {
    if (!args.starts_with('[')) {
        return std::nullopt;
    }
    nlohmann::json parsed = nlohmann::json::parse(args, nullptr, false);
    if (!parsed.is_array()) {
        return std::nullopt;
    }
    std::vector<std::string> items;
    for (const nlohmann::json& item : parsed) {
        if (!item.is_string()) {
            return std::nullopt;
        }
        items.push_back(item.get<std::string>());
    }
    return items;
}

std::string shell_quote(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

} // namespace holos::dockerfile
