// Docker's COPY rules, for a VM: a source directory's contents are copied, not the directory
// itself; several sources need a destination ending in "/"; files keep their permissions
// unless --chmod says otherwise and belong to root unless --chown says otherwise. Sources are
// resolved on the host at parse time, so a missing file or one outside the context is a
// diagnostic of `validate`, not a failure in the guest.
#include "dockerfile_copy.hpp"

#include "parse_values.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <glob.h>
#include <sys/stat.h>

namespace holos::parsing {
namespace {

using dockerfile::Word;

struct Options {
    std::string owner;
    std::string chmod; // four octal digits, or empty
};

// Leading "--name=value" words; returns the problem, or "" when all are understood.
std::string read_options(std::vector<Word>& words, Options& options) {
    while (!words.empty() && words.front().plain().starts_with("--")) {
        std::string option = words.front().plain();
        std::string value = option.substr(
            option.find('=') == std::string::npos ? option.size() : option.find('=') + 1);
        if (option.starts_with("--chown=") && !value.empty()) {
            Word owner = words.front();
            owner.pieces.front().text.erase(0, std::string_view("--chown=").size());
            options.owner = owner.shell();
        } else if (option.starts_with("--chmod=") && is_octal_mode(value)) {
            options.chmod = value.size() == 3 ? "0" + value : value;
        } else if (option.starts_with("--chmod=")) {
            return "--chmod takes an octal mode like 0644, got \"" + value + "\"";
        } else if (option.starts_with("--from=")) {
            return "COPY --from (multi-stage builds) is not supported";
        } else if (option != "--link") {
            return "unknown option \"" + option + "\" (holos knows --chown and --chmod)";
        }
        words.erase(words.begin());
    }
    return "";
}

std::string mode_of(const std::filesystem::path& path, const Options& options) {
    if (!options.chmod.empty()) {
        return options.chmod;
    }
    struct stat st {};
    ::stat(path.c_str(), &st);
    return fmt::format("{:04o}", st.st_mode & 07777);
}

std::vector<std::filesystem::path> matches(const std::filesystem::path& context,
                                           const std::string& source) {
    std::string relative = source;
    while (relative.starts_with('/')) {
        relative.erase(0, 1);
    }
    std::string pattern = (context / relative).lexically_normal().string();
    glob_t found{};
    std::vector<std::filesystem::path> paths;
    if (::glob(pattern.c_str(), 0, nullptr, &found) == 0) {
        for (std::size_t i = 0; i < found.gl_pathc; ++i) {
            paths.emplace_back(found.gl_pathv[i]);
        }
    }
    ::globfree(&found);
    return paths;
}

struct Destination {
    std::string shell; // without a trailing "/"
    bool is_directory = false;
};

Destination destination_of(Word word) {
    Destination dest;
    dest.is_directory = word.plain().ends_with('/');
    while (!word.pieces.empty() && word.pieces.back().text.ends_with('/') && word.plain() != "/") {
        word.pieces.back().text.pop_back();
    }
    dest.shell = word.shell();
    return dest;
}

std::string below(const Destination& dest, const std::string& relative) {
    return dest.shell + dockerfile::shell_quote("/" + relative);
}

// A source directory: its own permissions for `dest`, then everything inside it.
std::string copy_directory(const CopyRequest& request, const std::filesystem::path& dir,
                           const Destination& dest, const Options& options, CopyResult& out) {
    out.items.push_back({{}, {}, dest.shell, true, false, mode_of(dir, options)});
    std::error_code ec;
    std::vector<std::filesystem::path> entries;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        entries.push_back(it->path());
    }
    if (ec) {
        return "cannot read " + dir.string() + ": " + ec.message();
    }
    std::sort(entries.begin(), entries.end());
    for (const std::filesystem::path& entry : entries) {
        std::string relative = entry.lexically_relative(dir).string();
        if (!inside_context(request.context, entry)) {
            return "\"" + entry.string() + "\" leads outside the build context";
        }
        if (std::filesystem::is_directory(entry)) {
            out.items.push_back(
                {{}, {}, below(dest, relative), true, false, mode_of(entry, options)});
        } else if (std::filesystem::is_regular_file(entry)) {
            out.bytes += std::filesystem::file_size(entry, ec);
            out.items.push_back(
                {entry, {}, below(dest, relative), false, false, mode_of(entry, options)});
        } else {
            return "\"" + entry.string() + "\" is neither a file nor a directory";
        }
    }
    return "";
}

std::string copy_sources(const CopyRequest& request, const std::vector<Word>& sources,
                         const Destination& dest, const Options& options, CopyResult& out) {
    std::vector<std::filesystem::path> found;
    for (const Word& source : sources) {
        std::string name = source.plain();
        if (name.find('$') != std::string::npos) {
            return "variables in COPY sources are not supported, got \"" + name + "\"";
        }
        std::vector<std::filesystem::path> paths = matches(request.context, name);
        if (paths.empty()) {
            return "\"" + name + "\" does not exist in the build context " +
                   request.context.string();
        }
        found.insert(found.end(), paths.begin(), paths.end());
    }
    bool many = found.size() > 1;
    if (many && !dest.is_directory) {
        return "with more than one source file the destination must end with \"/\"";
    }
    for (const std::filesystem::path& path : found) {
        if (!inside_context(request.context, path)) {
            return "\"" + path.string() + "\" is outside the build context " +
                   request.context.string();
        }
        std::error_code ec;
        if (std::filesystem::is_directory(path)) {
            std::string problem = copy_directory(request, path, dest, options, out);
            if (!problem.empty()) {
                return problem;
            }
            continue;
        }
        out.bytes += std::filesystem::file_size(path, ec);
        std::string target =
            dest.is_directory || many ? below(dest, path.filename().string()) : dest.shell;
        out.items.push_back(
            {path, {}, target, false, !dest.is_directory && !many, mode_of(path, options)});
    }
    return "";
}

void copy_heredocs(const dockerfile::Instruction& in, const Destination& dest,
                   const Options& options, CopyResult& out) {
    for (const dockerfile::Heredoc& doc : in.heredocs) {
        std::string content;
        std::string_view body = doc.body;
        while (!body.empty()) {
            std::string_view line = body.substr(0, body.find('\n') + 1);
            body.remove_prefix(line.size());
            while (doc.strip_tabs && line.starts_with('\t')) {
                line.remove_prefix(1);
            }
            content += line;
        }
        out.bytes += content.size();
        std::string target = dest.is_directory ? below(dest, doc.name) : dest.shell;
        out.items.push_back({{},
                             content,
                             target,
                             false,
                             !dest.is_directory,
                             options.chmod.empty() ? "0644" : options.chmod});
    }
}

} // namespace

bool inside_context(const std::filesystem::path& context, const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
    if (ec) {
        return false;
    }
    auto [end, ignored] =
        std::mismatch(context.begin(), context.end(), resolved.begin(), resolved.end());
    return end == context.end();
}

CopyResult read_copy_instruction(const CopyRequest& given, const dockerfile::Instruction& in) {
    CopyResult out;
    CopyRequest request = given;
    std::error_code ec;
    request.context = std::filesystem::weakly_canonical(given.context, ec);
    std::vector<Word> words;
    if (std::optional<std::vector<std::string>> list = dockerfile::json_array(in.arguments)) {
        for (const std::string& item : *list) {
            words.push_back(Word{{{item, true}}, 0});
        }
    } else if (std::optional<std::vector<Word>> split =
                   dockerfile::split_words(in.arguments, request.escape, out.problem)) {
        words = std::move(*split);
    } else {
        return out;
    }
    Options options;
    out.problem = read_options(words, options);
    if (!out.problem.empty()) {
        return out;
    }
    std::size_t heredoc_words = in.heredocs.size();
    if (words.size() < 2) {
        out.problem = "expected SOURCE... DESTINATION";
        return out;
    }
    Destination dest = destination_of(words.back());
    std::vector<Word> sources(words.begin(), words.end() - 1);
    std::erase_if(sources, [](const Word& w) { return w.plain().starts_with("<<"); });
    if (heredoc_words > 0 && !sources.empty()) {
        out.problem = "a COPY takes either heredocs or files, not both";
        return out;
    }
    if (heredoc_words > 1 && !dest.is_directory) {
        out.problem = "with more than one heredoc the destination must end with \"/\"";
        return out;
    }
    if (heredoc_words > 0) {
        copy_heredocs(in, dest, options, out);
    } else {
        out.problem = copy_sources(request, sources, dest, options, out);
    }
    if (out.problem.empty() && out.bytes > request.budget_bytes) {
        out.problem = fmt::format("the files copied by this Dockerfile exceed {} MiB, the most "
                                  "the seed carries; put large files into the image or a volume",
                                  kMaxDockerfileCopyBytes >> 20);
    }
    out.owner = options.owner;
    return out;
}

} // namespace holos::parsing
