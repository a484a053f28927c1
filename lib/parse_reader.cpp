// Scalar readers check the scalar as written first (YAML 1.1 booleans, quoted numbers), then
// interpolate it, then interpret the result as plain text: a value that came from a variable
// is never reinterpreted by YAML rules, since no YAML tool ever sees it.
#include "parse_reader.hpp"

#include "parse_sizes.hpp"

#include <map>
#include <system_error>

namespace holos::parsing {
namespace {

bool is_core_boolean(std::string_view text, bool& value) {
    static constexpr std::string_view kTrue[] = {"true", "True", "TRUE"};
    static constexpr std::string_view kFalse[] = {"false", "False", "FALSE"};
    value = std::find(std::begin(kTrue), std::end(kTrue), text) != std::end(kTrue);
    return value || std::find(std::begin(kFalse), std::end(kFalse), text) != std::end(kFalse);
}

std::string choice_list(const std::vector<std::string_view>& choices) {
    std::string out;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        out += i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ";
        out += quote(choices[i]);
    }
    return out;
}

bool quoted_number(Parser& parser, const Node& node, const Place& at, std::string_view expected) {
    if (node.is_scalar() && node.tag == "!") {
        error(parser, at,
              "expected " + std::string(expected) + ", got the quoted string " + quote(node.text) +
                  ", remove the quotes");
        return true;
    }
    return false;
}

} // namespace

void error(Parser& parser, const Place& at, std::string message) {
    parser.diagnostics.error(at.mark, at.path, std::move(message));
}

void warning(Parser& parser, const Place& at, std::string message) {
    parser.diagnostics.warning(at.mark, at.path, std::move(message));
}

std::string describe(const Node& node) {
    switch (node.kind) {
    case Node::Kind::mapping:
        return "a mapping";
    case Node::Kind::sequence:
        return "a list";
    case Node::Kind::scalar:
        return quote(node.text);
    case Node::Kind::null:
        break;
    }
    return "an empty value";
}

void type_error(Parser& parser, const Place& at, std::string_view expected, const Node& node) {
    error(parser, at, "expected " + std::string(expected) + ", got " + describe(node));
}

std::string join_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::optional<std::string> interpolated(Parser& parser, const Node& scalar, const Place& at) {
    std::string problem;
    InterpolationTrace trace;
    std::optional<std::string> text = interpolate(scalar.text, parser.variables, trace, problem);
    parser.trace.used.insert(trace.used.begin(), trace.used.end());
    if (!text) {
        error(parser, at, problem);
        return std::nullopt;
    }
    for (const std::string& name : trace.unset) {
        warning(parser, at, "variable " + quote(name) + " is not set, using an empty string");
    }
    return text;
}

std::optional<std::string> read_string(Parser& parser, const Node& node, const Place& at) {
    if (!node.is_scalar()) {
        type_error(parser, at, "a string", node);
        return std::nullopt;
    }
    if (node.is_plain() && is_yaml11_boolean(node.text)) {
        error(parser, at,
              quote(node.text) + " is a boolean in YAML 1.1, quote it to use it as a string");
        return std::nullopt;
    }
    return interpolated(parser, node, at);
}

std::optional<std::string> read_nonempty_string(Parser& parser, const Node& node, const Place& at) {
    std::optional<std::string> text = read_string(parser, node, at);
    if (text && text->empty()) {
        error(parser, at, "must not be empty");
        return std::nullopt;
    }
    return text;
}

std::optional<long long> read_integer(Parser& parser, const Node& node, const Place& at,
                                      long long min, long long max) {
    std::string expected =
        "an integer between " + std::to_string(min) + " and " + std::to_string(max);
    if (!node.is_scalar()) {
        type_error(parser, at, expected, node);
        return std::nullopt;
    }
    if (quoted_number(parser, node, at, expected)) {
        return std::nullopt;
    }
    std::optional<std::string> text = interpolated(parser, node, at);
    if (!text) {
        return std::nullopt;
    }
    std::optional<long long> value = parse_decimal(*text);
    if (!value || *value < min || *value > max) {
        error(parser, at, "expected " + expected + ", got " + quote(*text));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> read_bool(Parser& parser, const Node& node, const Place& at) {
    if (!node.is_scalar()) {
        type_error(parser, at, "true or false", node);
        return std::nullopt;
    }
    if (quoted_number(parser, node, at, "true or false")) {
        return std::nullopt;
    }
    std::optional<std::string> text = interpolated(parser, node, at);
    bool value = false;
    if (text && !is_core_boolean(*text, value)) {
        error(parser, at, "expected true or false, got " + quote(*text));
        return std::nullopt;
    }
    return text ? std::optional<bool>(value) : std::nullopt;
}

std::optional<std::uint64_t> read_size(Parser& parser, const Node& node, const Place& at,
                                       std::string* written) {
    if (!node.is_scalar()) {
        type_error(parser, at, std::string("a size: ") + kSizeGrammar, node);
        return std::nullopt;
    }
    std::optional<std::string> text = interpolated(parser, node, at);
    std::string problem;
    std::optional<std::uint64_t> size = text ? parse_size(*text, problem) : std::nullopt;
    if (text && !size) {
        error(parser, at, problem);
    }
    if (text && written) {
        *written = *text;
    }
    return size;
}

std::optional<std::int64_t> read_duration(Parser& parser, const Node& node, const Place& at,
                                          bool allow_zero) {
    if (!node.is_scalar()) {
        type_error(parser, at, "a duration like \"30s\"", node);
        return std::nullopt;
    }
    std::optional<std::string> text = interpolated(parser, node, at);
    std::string problem;
    std::optional<std::int64_t> ms = text ? parse_duration(*text, problem) : std::nullopt;
    if (text && !ms) {
        error(parser, at, problem);
        return std::nullopt;
    }
    if (ms && *ms == 0 && !allow_zero) {
        error(parser, at, "must be longer than zero, got " + quote(*text));
        return std::nullopt;
    }
    return ms;
}

std::optional<std::string> read_choice(Parser& parser, const Node& node, const Place& at,
                                       const std::vector<std::string_view>& choices) {
    std::optional<std::string> text = read_string(parser, node, at);
    if (text && !contains(choices, *text)) {
        std::string prefix = choices.size() > 2 ? "expected one of " : "expected ";
        error(parser, at, prefix + choice_list(choices) + ", got " + quote(*text));
        return std::nullopt;
    }
    return text;
}

std::optional<std::filesystem::path> existing_file(Parser& parser, const std::string& path,
                                                   const Place& at) {
    if (path.starts_with('~')) {
        error(parser, at,
              quote(path) + ": \"~\" is not expanded, write the path relative to the compose "
                            "file or absolute");
        return std::nullopt;
    }
    std::filesystem::path absolute = (parser.base_dir / path).lexically_normal();
    std::error_code ec;
    std::filesystem::file_status status = std::filesystem::status(absolute, ec);
    if (!std::filesystem::exists(status)) {
        error(parser, at,
              "file " + quote(path) + " does not exist (looked for " + quote(absolute.string()) +
                  ")");
        return std::nullopt;
    }
    if (!std::filesystem::is_regular_file(status)) {
        error(parser, at, quote(path) + " is not a regular file");
        return std::nullopt;
    }
    return absolute;
}

std::optional<std::filesystem::path> read_existing_file(Parser& parser, const Node& node,
                                                        const Place& at) {
    std::optional<std::string> path = read_nonempty_string(parser, node, at);
    return path ? existing_file(parser, *path, at) : std::nullopt;
}

void read_string_list(Parser& parser, const Node& node, const Place& at,
                      std::vector<std::string>& out) {
    for_each_item(parser, node, at, [&](const Node& item, const Place& item_at) {
        if (std::optional<std::string> text = read_nonempty_string(parser, item, item_at)) {
            out.push_back(std::move(*text));
        }
    });
}

bool for_each_pair(Parser& parser, const Node& node, const Place& at, const PairVisitor& visit) {
    if (node.is_null()) {
        return true;
    }
    if (!node.is_mapping()) {
        type_error(parser, at, "a mapping", node);
        return false;
    }
    std::map<std::string, int> first_lines;
    for (const auto& [key, value] : node.pairs) {
        Place key_at{key.mark, at.path};
        if (!key.is_scalar()) {
            type_error(parser, key_at, "a string key", key);
            continue;
        }
        auto [first, inserted] = first_lines.emplace(key.text, key_at.mark.line);
        if (!inserted) {
            error(parser, key_at,
                  "duplicate key " + quote(key.text) + ", first on line " +
                      std::to_string(first->second));
            continue;
        }
        SourceMark value_mark = value.is_scalar() ? value.mark : key_at.mark;
        visit(key.text, key_at, value, Place{value_mark, join_path(at.path, key.text)});
    }
    return true;
}

void unknown_key(Parser& parser, const Place& key_at, std::string_view key,
                 const std::vector<std::string_view>& known) {
    std::string message = "unknown key " + quote(key);
    if (std::optional<std::string_view> suggestion = closest_key(key, known)) {
        message += ", did you mean " + quote(*suggestion) + "?";
    }
    error(parser, key_at, message);
}

} // namespace holos::parsing
