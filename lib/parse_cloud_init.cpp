// write_files content stays as written (encoded or not): cloud-init decodes it in the guest.
// Only base64 is checked here, because a typo in it would otherwise surface as a boot that
// silently lacks its file.
#include "parse_cloud_init.hpp"

#include <algorithm>

namespace holos::parsing {
namespace {

constexpr const char* kUserRule = "(lowercase letters, digits, \"_\" and \"-\", starting with a "
                                  "letter or \"_\", at most 32 characters)";

struct Encoding {
    std::string_view spelling;
    std::string_view normalised;
};

constexpr Encoding kEncodings[] = {
    {"b64", "b64"}, {"base64", "b64"},    {"gzip", "gzip"},
    {"gz", "gzip"}, {"gz+b64", "gz+b64"}, {"gzip+base64", "gz+b64"},
};

bool is_base64(std::string_view text) {
    std::string compact;
    std::copy_if(text.begin(), text.end(), std::back_inserter(compact),
                 [](char c) { return c != '\n' && c != '\r' && c != ' ' && c != '\t'; });
    std::size_t data = compact.find_last_not_of('=') + 1;
    auto is_symbol = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/';
    };
    return compact.size() % 4 == 0 && compact.size() - data <= 2 &&
           std::all_of(compact.begin(), compact.begin() + static_cast<long>(data), is_symbol);
}

void read_file_path(Parser& parser, const Node& node, const Place& at, WriteFile& file) {
    std::optional<std::string> path = read_string(parser, node, at);
    if (path && !path->starts_with('/')) {
        error(parser, at, "expected an absolute path, got " + quote(*path));
    } else if (path) {
        file.path = std::move(*path);
    }
}

void read_file_content(Parser& parser, const Node& node, const Place& at, WriteFile& file) {
    if (std::optional<std::string> content = read_string(parser, node, at)) {
        file.content = std::move(*content);
    }
}

void read_encoding(Parser& parser, const Node& node, const Place& at, WriteFile& file) {
    std::optional<std::string> text = read_string(parser, node, at);
    const Encoding* match =
        std::find_if(std::begin(kEncodings), std::end(kEncodings),
                     [&](const Encoding& e) { return text && e.spelling == *text; });
    if (text && match == std::end(kEncodings)) {
        error(parser, at,
              "expected \"b64\", \"base64\", \"gzip\", \"gz\", \"gz+b64\" or \"gzip+base64\", "
              "got " +
                  quote(*text));
    } else if (text) {
        file.encoding = std::string(match->normalised);
    }
}

// An unquoted 0644 is the octal number 420 in YAML 1.1 and the decimal 644 in YAML 1.2;
// only a quoted string means the same to every tool, so digits must be quoted.
void read_permissions(Parser& parser, const Node& node, const Place& at, WriteFile& file) {
    if (node.is_plain() && all_digits(node.text)) {
        error(parser, at,
              "expected a quoted string, YAML reads unquoted digits as a number: write " +
                  quote(node.text));
        return;
    }
    std::optional<std::string> mode = read_string(parser, node, at);
    if (mode && !is_octal_mode(*mode)) {
        error(parser, at, "expected 3 or 4 octal digits like \"0644\", got " + quote(*mode));
    } else if (mode) {
        file.permissions = mode->size() == 3 ? "0" + *mode : *mode; // one spelling downstream
    }
}

void read_owner(Parser& parser, const Node& node, const Place& at, WriteFile& file) {
    std::optional<std::string> owner = read_nonempty_string(parser, node, at);
    if (!owner) {
        return;
    }
    std::size_t colon = owner->find(':');
    bool valid = is_posix_user_name(owner->substr(0, colon)) &&
                 (colon == std::string::npos || is_posix_user_name(owner->substr(colon + 1)));
    if (!valid) {
        error(parser, at,
              "expected \"user\" or \"user:group\" with POSIX names " + std::string(kUserRule) +
                  ", got " + quote(*owner));
        return;
    }
    file.owner = std::move(*owner);
}

void read_append(Parser& parser, const Node& node, const Place& at, WriteFile& file) {
    if (std::optional<bool> append = read_bool(parser, node, at)) {
        file.append = *append;
    }
}

constexpr Field<WriteFile> kWriteFileFields[] = {
    {"path", read_file_path, Required::yes},
    {"content", read_file_content},
    {"encoding", read_encoding},
    {"permissions", read_permissions},
    {"owner", read_owner},
    {"append", read_append},
};

void read_user(Parser& parser, const Node& node, const Place& at, CloudInit& cloud_init) {
    std::optional<std::string> user = read_string(parser, node, at);
    if (user && !is_posix_user_name(*user)) {
        error(parser, at,
              "expected a user name " + std::string(kUserRule) + ", got " + quote(*user));
    } else if (user) {
        cloud_init.user = std::move(*user);
    }
}

void read_packages(Parser& parser, const Node& node, const Place& at, CloudInit& cloud_init) {
    read_string_list(parser, node, at, cloud_init.packages);
}

void read_write_files(Parser& parser, const Node& node, const Place& at, CloudInit& cloud_init) {
    for_each_item(parser, node, at, [&](const Node& item, const Place& item_at) {
        WriteFile file;
        read_fields(parser, item, item_at, kWriteFileFields, file);
        bool base64 = file.encoding == "b64" || file.encoding == "gz+b64";
        if (base64 && !is_base64(file.content)) {
            error(parser, item_at,
                  "content is not valid base64, as encoding " + quote(file.encoding) + " says");
        }
        cloud_init.write_files.push_back(std::move(file));
    });
}

void read_commands(Parser& parser, const Node& node, const Place& at, std::vector<Command>& out) {
    for_each_item(parser, node, at, [&](const Node& item, const Place& item_at) {
        if (std::optional<Command> command = read_command(parser, item, item_at)) {
            out.push_back(std::move(*command));
        }
    });
}

void read_runcmd(Parser& parser, const Node& node, const Place& at, CloudInit& cloud_init) {
    read_commands(parser, node, at, cloud_init.runcmd);
}

void read_bootcmd(Parser& parser, const Node& node, const Place& at, CloudInit& cloud_init) {
    read_commands(parser, node, at, cloud_init.bootcmd);
}

constexpr Field<CloudInit> kCloudInitFields[] = {
    {"user", read_user},     {"packages", read_packages}, {"write_files", read_write_files},
    {"runcmd", read_runcmd}, {"bootcmd", read_bootcmd},
};

} // namespace

std::optional<Command> read_command(Parser& parser, const Node& node, const Place& at) {
    if (node.is_sequence()) {
        Command command;
        read_string_list(parser, node, at, command.argv);
        if (node.items.empty()) {
            error(parser, at, "expected a command, got an empty list");
            return std::nullopt;
        }
        return command.argv.size() == node.items.size() ? std::optional(command) : std::nullopt;
    }
    if (!node.is_scalar()) {
        type_error(parser, at, "a command as a string or a list of strings", node);
        return std::nullopt;
    }
    std::optional<std::string> line = read_nonempty_string(parser, node, at);
    return line ? std::optional(Command{{}, std::move(*line)}) : std::nullopt;
}

void read_cloud_init(Parser& parser, const Node& node, const Place& at, Service& service) {
    read_fields(parser, node, at, kCloudInitFields, service.cloud_init);
}

std::vector<std::string> cloud_init_keys() {
    return keys_of(kCloudInitFields);
}

std::vector<std::string> write_file_keys() {
    return keys_of(kWriteFileFields);
}

} // namespace holos::parsing
