// Interpolation follows docker compose, so that files move between the two unchanged, with
// one difference: a "$" that starts nothing ("cost $5") is an error instead of being kept,
// since the user almost always meant "$$" (a literal dollar, e.g. for a shell in runcmd).
// Branches that are not taken (the default of a set variable) are checked for syntax but do
// not count as used and do not raise their "?" errors.
#include "parse_interpolate.hpp"

#include "parse_values.hpp"
#include "text.hpp"

#include <algorithm>

namespace holos::parsing {
namespace {

bool is_name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9');
}

class Interpolator {
public:
    Interpolator(std::string_view text, const VariableMap& variables, InterpolationTrace& trace)
        : text_(text), variables_(variables), trace_(trace) {}

    std::optional<std::string> run(std::string& problem) {
        std::string out;
        if (!expand(false, true, out)) {
            problem = problem_;
            return std::nullopt;
        }
        return out;
    }

private:
    std::string_view text_;
    const VariableMap& variables_;
    InterpolationTrace& trace_;
    std::size_t pos_ = 0;
    std::string problem_;

    const std::string* lookup(const std::string& name, bool active) {
        auto it = variables_.find(name);
        if (it == variables_.end()) {
            return nullptr;
        }
        if (active) {
            trace_.used[name] = it->second;
        }
        return &it->second;
    }

    bool fail(std::string problem) {
        problem_ = std::move(problem);
        return false;
    }

    std::string read_name() {
        std::size_t start = pos_;
        while (pos_ < text_.size() && is_name_char(text_[pos_])) {
            ++pos_;
        }
        return std::string(text_.substr(start, pos_ - start));
    }

    // Expands up to the end of the text, or up to an unmatched "}" when `nested`.
    bool expand(bool nested, bool active, std::string& out) {
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            if (nested && c == '}') {
                return true;
            }
            if (c != '$') {
                out += c;
                ++pos_;
                continue;
            }
            if (!expand_dollar(active, out)) {
                return false;
            }
        }
        return !nested || fail("unterminated \"${\" in " + quote(text_));
    }

    bool expand_dollar(bool active, std::string& out) {
        char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
        if (next == '$') {
            out += '$';
            pos_ += 2;
            return true;
        }
        if (next == '{') {
            pos_ += 2;
            return expand_braced(active, out);
        }
        if (!is_name_start(next)) {
            return fail("a \"$\" must start a variable like \"$VAR\" or \"${VAR}\", write \"$$\" "
                        "for a literal \"$\", in " +
                        quote(text_));
        }
        ++pos_;
        std::string name = read_name();
        substitute(name, active, out);
        return true;
    }

    void substitute(const std::string& name, bool active, std::string& out) {
        if (const std::string* value = lookup(name, active)) {
            out += *value;
        } else if (active) {
            trace_.unset.push_back(name);
        }
    }

    // After "${": NAME, then "}" or an operator, its word and "}".
    bool expand_braced(bool active, std::string& out) {
        if (pos_ < text_.size() && !is_name_start(text_[pos_])) {
            return fail("expected a variable name after \"${\" in " + quote(text_));
        }
        std::string name = read_name();
        std::string_view rest = text_.substr(pos_);
        if (rest.empty()) {
            return fail("unterminated \"${\" in " + quote(text_));
        }
        if (rest.front() == '}') {
            ++pos_;
            substitute(name, active, out);
            return true;
        }
        bool colon = rest.front() == ':';
        char op = rest.size() > (colon ? 1u : 0u) ? rest[colon ? 1 : 0] : '\0';
        if (op != '-' && op != '?' && op != '+') {
            return fail("expected \"}\", \":-\", \"-\", \":?\", \"?\", \":+\" or \"+\" after \"${" +
                        name + "\" in " + quote(text_));
        }
        pos_ += colon ? 2 : 1;
        return apply_operator(name, colon, op, active, out);
    }

    bool apply_operator(const std::string& name, bool colon, char op, bool active,
                        std::string& out) {
        const std::string* value = lookup(name, active);
        bool set = value != nullptr && (!colon || !value->empty());
        bool use_word = op == '+' ? set : !set;
        std::string word;
        if (!expand(true, active && use_word, word)) {
            return false;
        }
        ++pos_; // the closing "}"
        if (!active) {
            return true;
        }
        if (op == '?' && !set) {
            std::string state = value == nullptr ? "is not set" : "is empty";
            return fail("required variable " + quote(name) + " " + state +
                        (word.empty() ? "" : ": " + word));
        }
        out += op == '?' ? *value : use_word ? word : set ? *value : "";
        return true;
    }
};

// A quoted .env value: single quotes keep everything, double quotes take \" \\ and \n.
std::optional<std::string> unquote_env_value(std::string_view value, std::string& problem) {
    char quote_char = value.front();
    std::string out;
    std::size_t i = 1;
    for (; i < value.size() && value[i] != quote_char; ++i) {
        if (quote_char == '"' && value[i] == '\\' && i + 1 < value.size()) {
            char escaped = value[++i];
            out += escaped == 'n' ? '\n' : escaped;
        } else {
            out += value[i];
        }
    }
    if (i >= value.size()) {
        problem = "unterminated quote in the value";
        return std::nullopt;
    }
    std::string_view after = trim(value.substr(i + 1));
    if (!after.empty() && after.front() != '#') {
        problem = "unexpected text " + quote(after) + " after the quoted value";
        return std::nullopt;
    }
    return out;
}

std::optional<std::string> env_value(std::string_view value, std::string& problem) {
    if (!value.empty() && (value.front() == '"' || value.front() == '\'')) {
        return unquote_env_value(value, problem);
    }
    std::size_t comment = value.find(" #");
    return std::string(trim(value.substr(0, comment)));
}

} // namespace

std::optional<std::string> interpolate(std::string_view text, const VariableMap& variables,
                                       InterpolationTrace& trace, std::string& problem) {
    if (text.find('$') == std::string_view::npos) {
        return std::string(text);
    }
    return Interpolator(text, variables, trace).run(problem);
}

bool is_variable_name(std::string_view name) {
    return !name.empty() && is_name_start(name.front()) &&
           std::all_of(name.begin(), name.end(), is_name_char);
}

VariableMap parse_env_file(std::string_view text, Diagnostics& diagnostics) {
    VariableMap variables;
    int number = 0;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view line = trim(text.substr(start, end - start));
        start = end + 1;
        ++number;
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (line.starts_with("export ")) {
            line = trim(line.substr(7));
        }
        std::size_t equals = line.find('=');
        std::string problem;
        std::string_view name = trim(line.substr(0, equals));
        std::optional<std::string> value;
        if (equals == std::string_view::npos) {
            problem = "expected NAME=VALUE, got " + quote(line);
        } else if (!is_variable_name(name)) {
            problem = "invalid variable name " + quote(name) +
                      " (letters, digits and \"_\", not starting with a digit)";
        } else {
            value = env_value(trim(line.substr(equals + 1)), problem);
        }
        if (!value) {
            diagnostics.error({number, 1}, "", problem);
            continue;
        }
        variables[std::string(name)] = std::move(*value);
    }
    return variables;
}

} // namespace holos::parsing
