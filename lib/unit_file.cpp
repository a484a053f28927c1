#include "unit_file.hpp"

#include <cstdio>

namespace holos {
namespace {

bool needs_quotes(std::string_view arg) {
    if (arg.empty()) {
        return true;
    }
    for (char c : arg) {
        auto u = static_cast<unsigned char>(c);
        if (u <= ' ' || u == 0x7f || c == '"' || c == '\'' || c == '\\') {
            return true;
        }
    }
    return false;
}

// Appends `c` as systemd's C-style unquoting expects it inside double quotes.
void append_escaped(std::string& out, char c) {
    switch (c) {
    case '\\': out += "\\\\"; return;
    case '"': out += "\\\""; return;
    case '\n': out += "\\n"; return;
    case '\t': out += "\\t"; return;
    case '%': out += "%%"; return;
    case '$': out += "$$"; return;
    default: break;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < ' ' || u == 0x7f) {
        char hex[5];
        std::snprintf(hex, sizeof hex, "\\x%02x", u);
        out += hex;
        return;
    }
    out += c;
}

} // namespace

std::string quote_exec_arg(std::string_view arg) {
    // A lone ";" separates commands on an Exec line; "\;" is systemd's literal semicolon.
    if (arg == ";") {
        return "\\;";
    }
    bool quoted = needs_quotes(arg);
    std::string out = quoted ? "\"" : "";
    for (char c : arg) {
        append_escaped(out, c);
    }
    return quoted ? out + "\"" : out;
}

std::string quote_path_arg(std::string_view path) {
    bool quoted = needs_quotes(path);
    std::string out = quoted ? "\"" : "";
    for (char c : path) {
        if (c == '\\' || c == '"') {
            out += '\\';
        }
        out += c == '%' ? "%%" : std::string(1, c);
    }
    return quoted ? out + "\"" : out;
}

std::string exec_command_line(const std::vector<std::string>& argv) {
    std::string line;
    for (const std::string& arg : argv) {
        if (!line.empty()) {
            line += ' ';
        }
        line += quote_exec_arg(arg);
    }
    return line;
}

std::string wrapped_command_line(const std::vector<std::string>& argv) {
    std::string line;
    for (const std::string& arg : argv) {
        if (!line.empty()) {
            line += arg.starts_with('-') ? " \\\n    " : " ";
        }
        line += quote_exec_arg(arg);
    }
    return line;
}

std::string escape_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (c == '%') {
            out += "%%";
        } else if (u < ' ' || u == 0x7f) {
            out += ' ';
        } else {
            out += c;
        }
    }
    if (!out.empty() && out.back() == '\\') {
        out.back() = ' ';
    }
    return out;
}

std::string quote_path(std::string_view path) {
    std::string out = "\"";
    for (char c : path) {
        auto u = static_cast<unsigned char>(c);
        if (c == '%') {
            out += "%%";
        } else if (c == '"' || c == '\\' || u < ' ' || u == 0x7f) {
            out += '_';
        } else {
            out += c;
        }
    }
    return out + "\"";
}

UnitFileBuilder::UnitFileBuilder(std::string_view header) {
    size_t start = 0;
    while (start < header.size()) {
        size_t end = header.find('\n', start);
        std::string_view line = header.substr(start, end - start);
        text_ += "# " + escape_text(line) + "\n";
        start = end == std::string_view::npos ? header.size() : end + 1;
    }
}

UnitFileBuilder& UnitFileBuilder::section(std::string_view name) {
    if (!text_.empty()) {
        text_ += '\n';
    }
    text_ += "[" + std::string(name) + "]\n";
    return *this;
}

UnitFileBuilder& UnitFileBuilder::set(std::string_view key, std::string_view value) {
    text_ += std::string(key) + "=" + std::string(value) + "\n";
    return *this;
}

UnitFileBuilder& UnitFileBuilder::comment(std::string_view text) {
    std::string line(text);
    for (char& c : line) {
        auto u = static_cast<unsigned char>(c);
        c = u < ' ' || u == 0x7f ? ' ' : c;
    }
    text_ += "# " + line + "\n";
    return *this;
}

} // namespace holos
