// The meaning of each Dockerfile instruction for a VM: one table says which become build
// steps of the first-boot script, which are metadata holos ignores, and which are errors
// because holos.yaml has its own field for them.
#include "parse_dockerfile.hpp"

#include "dockerfile_copy.hpp"
#include "dockerfile_lexer.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace holos::parsing {
namespace {

using dockerfile::Instruction;
using dockerfile::Word;

struct Reader {
    std::string shown;
    std::filesystem::path context;
    Diagnostics& diagnostics;
    char escape = '\\';
    DockerfileRead out;
    std::vector<std::pair<std::string, std::string>> from_args; // ARGs before FROM
    std::uint64_t copied_bytes = 0;
    bool reported_missing_from = false;
};

void problem(Reader& r, const Instruction& at, std::string message) {
    r.diagnostics.add({Severity::error, r.shown, at.at, at.keyword, std::move(message)});
}

std::string summary_of(const Instruction& in) {
    std::string text = in.keyword + " " + in.arguments;
    std::size_t newline = text.find('\n');
    if (newline != std::string::npos) {
        text = text.substr(0, newline);
    }
    return text.size() > 72 ? text.substr(0, 69) + "..." : text;
}

DockerfileStep step_of(const Instruction& in, DockerfileStep::Kind kind) {
    DockerfileStep step;
    step.kind = kind;
    step.line = in.at.line;
    step.summary = summary_of(in);
    return step;
}

std::optional<std::vector<Word>> words_of(Reader& r, const Instruction& in) {
    std::string why;
    std::optional<std::vector<Word>> words = dockerfile::split_words(in.arguments, r.escape, why);
    if (!words) {
        problem(r, in, why);
    }
    return words;
}

bool is_variable_name(std::string_view name) {
    auto ok = [](char c, bool first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
               (!first && c >= '0' && c <= '9');
    };
    if (name.empty()) {
        return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (!ok(name[i], i == 0)) {
            return false;
        }
    }
    return true;
}

// "$NAME" and "${NAME}" from ARGs declared before FROM; nullopt if anything else is left.
std::optional<std::string> substitute_from_args(const Reader& r, std::string text) {
    for (const auto& [name, value] : r.from_args) {
        for (const std::string& ref : {"${" + name + "}", "$" + name}) {
            for (std::size_t at; (at = text.find(ref)) != std::string::npos;) {
                text.replace(at, ref.size(), value);
            }
        }
    }
    if (text.find('$') != std::string::npos) {
        return std::nullopt;
    }
    return text;
}

void read_from(Reader& r, const Instruction& in) {
    if (r.out.base_image) {
        problem(r, in,
                "multi-stage builds are not supported: holos provisions one VM from one FROM");
        return;
    }
    std::optional<std::vector<Word>> words = words_of(r, in);
    if (!words) {
        return;
    }
    auto image = std::find_if(words->begin(), words->end(),
                              [](const Word& w) { return !w.plain().starts_with("--"); });
    // --platform is the only option FROM has; holos VMs are x86_64.
    for (auto option = words->begin(); option != image; ++option) {
        std::string text = option->plain();
        if (text != "--platform=linux/amd64" && text != "--platform=linux/x86_64") {
            problem(r, in, "FROM " + text + " is not supported: holos boots x86_64 images");
            r.out.base_image = "";
            return;
        }
    }
    std::optional<std::string> name =
        image == words->end() ? std::nullopt : substitute_from_args(r, image->plain());
    if (!name || name->empty() || *name == "scratch") {
        problem(r, in, "expected the image to boot, like \"FROM debian:12\"");
        r.out.base_image = "";
        return;
    }
    r.out.base_image = *name;
}

void read_run(Reader& r, const Instruction& in) {
    if (in.arguments.starts_with("--")) {
        problem(r, in, "RUN options (--mount, --network, --security) are not supported");
        return;
    }
    DockerfileStep step = step_of(in, DockerfileStep::Kind::run);
    if (std::optional<std::vector<std::string>> argv = dockerfile::json_array(in.arguments)) {
        if (argv->empty()) {
            problem(r, in, "expected a command");
            return;
        }
        step.argv = std::move(*argv);
    } else {
        step.shell_command = in.arguments;
        for (const dockerfile::Heredoc& doc : in.heredocs) {
            step.shell_command += "\n" + doc.body + doc.name;
        }
    }
    if (step.argv.empty() && step.shell_command.empty()) {
        problem(r, in, "expected a command");
        return;
    }
    r.out.steps.push_back(std::move(step));
}

// A script given only as a heredoc ("RUN <<EOF"): the shell runs the body itself.
void unwrap_bare_heredoc(const Instruction& in, DockerfileStep& step) {
    if (in.heredocs.size() != 1) {
        return;
    }
    std::string marker = in.arguments;
    std::string_view rest = marker;
    while (!rest.empty() && (rest.front() == '<' || rest.front() == '-' || rest.front() == '\'' ||
                             rest.front() == '"')) {
        rest.remove_prefix(1);
    }
    if (rest.starts_with(in.heredocs.front().name) &&
        rest.substr(in.heredocs.front().name.size()).find_first_not_of("'\" \t") ==
            std::string_view::npos) {
        step.shell_command = in.heredocs.front().body;
    }
}

// "ENV A=1 B="two words"" or the old "ENV A one value"; ARG takes "NAME" or "NAME=default".
void read_variables(Reader& r, const Instruction& in, DockerfileStep::Kind kind) {
    std::optional<std::vector<Word>> words = words_of(r, in);
    if (!words || words->empty()) {
        if (words) {
            problem(r, in, "expected NAME=VALUE");
        }
        return;
    }
    DockerfileStep step = step_of(in, kind);
    bool legacy =
        kind == DockerfileStep::Kind::env && words->front().plain().find('=') == std::string::npos;
    if (legacy) {
        Word value;
        for (std::size_t i = 1; i < words->size(); ++i) {
            if (i > 1) {
                value.pieces.push_back({" ", true});
            }
            const auto& pieces = (*words)[i].pieces;
            value.pieces.insert(value.pieces.end(), pieces.begin(), pieces.end());
        }
        step.variables.emplace_back(words->front().plain(), value.shell());
    }
    for (std::size_t i = 0; !legacy && i < words->size(); ++i) {
        Word word = (*words)[i];
        std::string first = word.pieces.empty() ? "" : word.pieces.front().text;
        std::size_t equals = first.find('=');
        std::string name = first.substr(0, equals);
        if (!is_variable_name(name) || (equals == std::string::npos && word.pieces.size() > 1)) {
            problem(r, in, "expected NAME=VALUE, got \"" + word.plain() + "\"");
            continue;
        }
        if (equals == std::string::npos && kind == DockerfileStep::Kind::env) {
            problem(r, in, "expected NAME=VALUE, got \"" + word.plain() + "\"");
            continue;
        }
        Word value = word;
        value.pieces.front().text = equals == std::string::npos ? "" : first.substr(equals + 1);
        step.variables.emplace_back(name, value.shell());
        if (!r.out.base_image && kind == DockerfileStep::Kind::arg) {
            r.from_args.emplace_back(name, value.plain());
        }
    }
    if (r.out.base_image) {
        r.out.steps.push_back(std::move(step));
    }
}

void read_env(Reader& r, const Instruction& in) {
    read_variables(r, in, DockerfileStep::Kind::env);
}

void read_arg(Reader& r, const Instruction& in) {
    read_variables(r, in, DockerfileStep::Kind::arg);
}

void read_single_word(Reader& r, const Instruction& in, DockerfileStep::Kind kind,
                      const char* expected) {
    std::optional<std::vector<Word>> words = words_of(r, in);
    if (words && words->size() != 1) {
        problem(r, in, std::string("expected ") + expected);
        return;
    }
    if (words) {
        DockerfileStep step = step_of(in, kind);
        step.target = words->front().shell();
        r.out.steps.push_back(std::move(step));
    }
}

void read_workdir(Reader& r, const Instruction& in) {
    read_single_word(r, in, DockerfileStep::Kind::workdir, "one directory");
}

void read_user(Reader& r, const Instruction& in) {
    read_single_word(r, in, DockerfileStep::Kind::user, "a user, like \"app\" or \"app:app\"");
}

void read_shell(Reader& r, const Instruction& in) {
    std::optional<std::vector<std::string>> argv = dockerfile::json_array(in.arguments);
    if (!argv || argv->empty()) {
        problem(r, in, "expected a JSON list, like [\"/bin/bash\", \"-c\"]");
        return;
    }
    DockerfileStep step = step_of(in, DockerfileStep::Kind::shell);
    step.argv = std::move(*argv);
    r.out.steps.push_back(std::move(step));
}

void read_copy(Reader& r, const Instruction& in) {
    CopyRequest request{r.context, r.escape, kMaxDockerfileCopyBytes - r.copied_bytes};
    CopyResult copy = read_copy_instruction(request, in);
    if (!copy.problem.empty()) {
        problem(r, in, copy.problem);
        return;
    }
    r.copied_bytes += copy.bytes;
    DockerfileStep step = step_of(in, DockerfileStep::Kind::copy);
    step.items = std::move(copy.items);
    step.owner = std::move(copy.owner);
    r.out.steps.push_back(std::move(step));
}

void ignore(Reader&, const Instruction&) {
}

struct Handler {
    std::string_view keyword;
    void (*read)(Reader&, const Instruction&);
    const char* instead; // set: the instruction is an error, and this says what to use
};

constexpr Handler kHandlers[] = {
    {"FROM", read_from, nullptr},
    {"RUN", read_run, nullptr},
    {"COPY", read_copy, nullptr},
    {"ENV", read_env, nullptr},
    {"ARG", read_arg, nullptr},
    {"WORKDIR", read_workdir, nullptr},
    {"USER", read_user, nullptr},
    {"SHELL", read_shell, nullptr},
    {"LABEL", ignore, nullptr},
    {"MAINTAINER", ignore, nullptr},
    {"CMD", nullptr,
     "a VM has no main command: start programs with cloud_init.runcmd, or as a systemd unit "
     "written with cloud_init.write_files"},
    {"ENTRYPOINT", nullptr,
     "a VM has no entry point: start programs with cloud_init.runcmd, or as a systemd unit "
     "written with cloud_init.write_files"},
    {"EXPOSE", nullptr, "forward guest ports with \"ports\" in holos.yaml"},
    {"HEALTHCHECK", nullptr, "use \"healthcheck\" in holos.yaml"},
    {"VOLUME", nullptr, "use \"volumes\" in holos.yaml"},
    {"STOPSIGNAL", nullptr,
     "a VM is stopped by an ACPI power-off; its time is \"stop_grace_period\" in holos.yaml"},
    {"ONBUILD", nullptr, "a VM is not a base for other builds"},
    {"ADD", nullptr,
     "use COPY: holos copies files from the build context, it does not download URLs or "
     "unpack archives"},
};

void read_instruction(Reader& r, const Instruction& in) {
    auto handler = std::find_if(std::begin(kHandlers), std::end(kHandlers),
                                [&](const Handler& h) { return h.keyword == in.keyword; });
    if (handler == std::end(kHandlers)) {
        problem(r, in, "unknown instruction");
        return;
    }
    if (handler->instead != nullptr) {
        problem(r, in, std::string("has no meaning for a VM, ") + handler->instead);
        return;
    }
    if (!r.out.base_image && in.keyword != "FROM" && in.keyword != "ARG" &&
        !r.reported_missing_from) {
        problem(r, in, "expected FROM first (only ARG may come before it)");
        r.reported_missing_from = true;
    }
    handler->read(r, in);
    if (in.keyword == "RUN" && !r.out.steps.empty() && !in.heredocs.empty()) {
        unwrap_bare_heredoc(in, r.out.steps.back());
    }
}

} // namespace

DockerfileRead read_dockerfile(const std::filesystem::path& file, const std::string& shown,
                               Diagnostics& diagnostics) {
    std::ifstream in(file, std::ios::binary);
    if (!in.is_open()) {
        return {};
    }
    std::ostringstream text;
    text << in.rdbuf();
    Reader reader{shown, file.parent_path(), diagnostics, '\\', {}, {}, 0, false};
    reader.out.readable = true;
    dockerfile::Lexed lexed = dockerfile::lex(text.str());
    reader.escape = lexed.escape;
    for (const dockerfile::Problem& p : lexed.problems) {
        diagnostics.add({Severity::error, shown, p.at, "", p.message});
    }
    for (const Instruction& instruction : lexed.instructions) {
        read_instruction(reader, instruction);
    }
    if (!reader.out.base_image && !reader.reported_missing_from) {
        diagnostics.add({Severity::error, shown, {}, "", "has no FROM line"});
    }
    return std::move(reader.out);
}

} // namespace holos::parsing
