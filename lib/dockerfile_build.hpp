// The build steps of a service's Dockerfile, as the parser read them: what the guest's
// first-boot script does, in file order. Values that Docker would expand at build time
// ("$VAR", "${VAR:-x}") are kept as POSIX shell words, so the guest's shell expands them with
// the same syntax; the build context is the Dockerfile's directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace holos {

// Copied files travel in the seed (gzip, then base64): together at most this many bytes
// before compression per service, which keeps cloud-init's reading of user-data quick.
inline constexpr std::uint64_t kMaxDockerfileCopyBytes = 4ULL << 20;

// One file or directory that a COPY puts into the guest.
struct CopiedItem {
    std::filesystem::path source;  // a file or directory in the context; empty for a heredoc
    std::string content;           // a heredoc's text (source empty)
    std::string target;            // shell word; relative to WORKDIR unless absolute
    bool directory = false;        // create the directory `target`
    bool may_be_directory = false; // a single file: into `target` if that is a directory
    std::string mode;              // "0644": --chmod, else the source's own permissions
};

struct DockerfileStep {
    enum class Kind { run, copy, env, arg, workdir, user, shell };
    Kind kind = Kind::run;
    int line = 0;        // in the Dockerfile
    std::string summary; // "RUN apt-get install -y nginx", for the script's progress lines

    std::string shell_command;     // run, shell form (heredocs included)
    std::vector<std::string> argv; // run, exec form; shell: the new shell prefix
    std::vector<std::pair<std::string, std::string>> variables; // env, arg: name, shell word
    std::string target;                                         // workdir, user: a shell word
    std::vector<CopiedItem> items;                              // copy
    std::string owner; // copy --chown, a shell word; empty: root
};

} // namespace holos
