// The first-boot script keeps Docker's build semantics where a VM allows: each RUN is its own
// process in the current WORKDIR with every ENV and ARG so far, as the USER so far (setpriv
// keeps the environment, unlike su); COPY places files as root unless --chown. The script
// records the digest of its inputs when it finishes, so a later cloud-init run on the same
// disk (a change of the service's own cloud_init) does not build twice.
#include "dockerfile_seed.hpp"

#include "atomic_file.hpp"
#include "dockerfile_lexer.hpp"
#include "error.hpp"
#include "qemu_args.hpp"

#include <fmt/format.h>
#include <zlib.h>

namespace holos {
namespace {

using dockerfile::shell_quote;

constexpr const char* kPreamble = R"sh(#!/bin/sh
# Written by holos: the build steps of this VM's Dockerfile, run once by cloud-init on a new
# disk, before the service's runcmd. $1 is the digest of the build's inputs.
set -e
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
holos_user=root
cd /

holos_step() {
    echo "holos: Dockerfile:$1: $2" >&2
}

# Runs "$@" as $holos_user ("name", "uid", "name:group"), keeping the environment and the
# current directory.
holos_as() {
    case "$holos_user" in
    root | 0 | root:* | 0:*) "$@"; return ;;
    esac
    holos_u=${holos_user%%:*}
    if [ "$holos_u" != "$holos_user" ]; then
        holos_groups="--regid=${holos_user#*:} --clear-groups"
    else
        holos_g=$(id -g "$holos_u") || return 1
        holos_groups="--regid=$holos_g --init-groups"
    fi
    holos_home=$(getent passwd "$holos_u" | cut -d: -f6) || true
    # shellcheck disable=SC2086 # two options
    HOME=${holos_home:-/} setpriv --reuid="$holos_u" $holos_groups -- "$@"
}

# holos_copy STAGED TARGET MODE OWNER [NAME]: NAME is given when TARGET may be a directory.
holos_copy() {
    holos_target=$2
    if [ -n "${5-}" ] && [ -d "$holos_target" ]; then
        holos_target=$holos_target/$5
    fi
    mkdir -p "$(dirname -- "$holos_target")"
    install -m "$3" -- "$1" "$holos_target"
    if [ -n "$4" ]; then chown -- "$4" "$holos_target"; fi
}

# holos_mkdir DIR MODE OWNER: a directory a COPY creates; one that exists is left as it is.
holos_mkdir() {
    if [ ! -d "$1" ]; then
        mkdir -p -- "$1"
        chmod "$2" -- "$1"
        if [ -n "$3" ]; then chown -- "$3" "$1"; fi
    fi
}
)sh";

std::string staged_path(std::size_t index) {
    return fmt::format("{}/copy/{}", kDockerfileGuestDir, index);
}

std::string quoted_words(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& word : words) {
        out += (out.empty() ? "" : " ") + shell_quote(word);
    }
    return out;
}

struct ScriptState {
    std::vector<std::string> shell = {"/bin/sh", "-c"};
    std::size_t staged = 0;
};

std::string run_line(const DockerfileStep& step, const ScriptState& state) {
    if (!step.argv.empty()) {
        return "holos_as " + quoted_words(step.argv) + "\n";
    }
    return "holos_as " + quoted_words(state.shell) + " " + shell_quote(step.shell_command) + "\n";
}

std::string copy_lines(const DockerfileStep& step, ScriptState& state) {
    std::string owner = step.owner.empty() ? "''" : step.owner;
    std::string out;
    for (const CopiedItem& item : step.items) {
        if (item.directory) {
            out += fmt::format("holos_mkdir {} {} {}\n", item.target, item.mode, owner);
            continue;
        }
        std::string name = item.source.empty() ? "" : item.source.filename().string();
        out += fmt::format("holos_copy {} {} {} {}{}\n", staged_path(state.staged++), item.target,
                           item.mode, owner,
                           item.may_be_directory ? " " + shell_quote(name) : std::string());
    }
    return out;
}

std::string variable_lines(const DockerfileStep& step) {
    std::string out;
    for (const auto& [name, value] : step.variables) {
        out += "export " + name + "=" + value + "\n";
    }
    return out;
}

std::string step_lines(const DockerfileStep& step, ScriptState& state) {
    using Kind = DockerfileStep::Kind;
    switch (step.kind) {
    case Kind::run:
        return run_line(step, state);
    case Kind::copy:
        return copy_lines(step, state);
    case Kind::env:
    case Kind::arg:
        return variable_lines(step);
    case Kind::workdir:
        return "mkdir -p -- " + step.target + "\ncd -- " + step.target + "\n";
    case Kind::user:
        return "holos_user=" + step.target + "\n";
    case Kind::shell:
        state.shell = step.argv;
        return "";
    }
    return "";
}

// The service's ENV values stay set for login shells, as a container keeps its ENV.
std::string profile_of(const Service& service) {
    std::string out;
    for (const DockerfileStep& step : service.dockerfile_steps) {
        if (step.kind == DockerfileStep::Kind::env) {
            out += variable_lines(step);
        }
    }
    return out.empty() ? out : "# Written by holos from the ENV lines of the Dockerfile.\n" + out;
}

std::string gzip(std::string_view data) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw Error("compressing a copied file: deflateInit2 failed");
    }
    std::string out(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int status = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (status != Z_STREAM_END) {
        throw Error("compressing a copied file: deflate failed");
    }
    return out;
}

std::string base64(std::string_view data) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < data.size(); i += 3) {
        std::uint32_t chunk = static_cast<unsigned char>(data[i]) << 16;
        chunk |= i + 1 < data.size() ? static_cast<unsigned char>(data[i + 1]) << 8 : 0;
        chunk |= i + 2 < data.size() ? static_cast<unsigned char>(data[i + 2]) : 0;
        out += kAlphabet[(chunk >> 18) & 63];
        out += kAlphabet[(chunk >> 12) & 63];
        out += i + 1 < data.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
        out += i + 2 < data.size() ? kAlphabet[chunk & 63] : '=';
    }
    return out;
}

std::string copied_content(const CopiedItem& item) {
    if (item.source.empty()) {
        return item.content;
    }
    try {
        return read_file(item.source);
    } catch (const Error& e) {
        throw Error(std::string("reading a file the Dockerfile copies: ") + e.what());
    }
}

} // namespace

std::string dockerfile_script(const Service& service) {
    std::string script = kPreamble;
    ScriptState state;
    for (const DockerfileStep& step : service.dockerfile_steps) {
        script += "\nholos_step " + std::to_string(step.line) + " " + shell_quote(step.summary) +
                  "\n" + step_lines(step, state);
    }
    script += fmt::format("\nrm -rf {}/copy\necho \"$1\" >{}/done\nholos_step end 'built'\n",
                          kDockerfileGuestDir, kDockerfileGuestDir);
    return script;
}

DockerfileSeed dockerfile_seed(const Service& service) {
    DockerfileSeed seed;
    std::string script = dockerfile_script(service);
    std::string inputs = service.image + "\n" + script;
    std::uint64_t total = 0;
    std::size_t index = 0;
    std::vector<WriteFile> staged;
    for (const DockerfileStep& step : service.dockerfile_steps) {
        for (const CopiedItem& item : step.items) {
            if (item.directory) {
                continue;
            }
            std::string content = copied_content(item);
            total += content.size();
            inputs += "\n" + std::to_string(content.size()) + "\n" + content;
            staged.push_back(
                {staged_path(index++), base64(gzip(content)), "gz+b64", "0600", "", false});
        }
    }
    if (total > kMaxDockerfileCopyBytes) {
        throw Error(fmt::format("the files the Dockerfile copies have grown to {} bytes, more "
                                "than the {} MiB the seed carries",
                                total, kMaxDockerfileCopyBytes >> 20));
    }
    std::string build = std::string(kDockerfileGuestDir) + "/build.sh";
    seed.files.push_back({build, script, "", "0700", "", false});
    if (std::string profile = profile_of(service); !profile.empty()) {
        seed.files.push_back(
            {"/etc/profile.d/holos-dockerfile.sh", profile, "", "0644", "", false});
    }
    seed.files.insert(seed.files.end(), staged.begin(), staged.end());
    seed.digest = fmt::format("{:016x}", stable_hash(inputs));
    seed.run.shell =
        fmt::format("[ \"$(cat {0}/done 2>/dev/null)\" = {1} ] || {2} {1} || {{ echo 'holos: the "
                    "Dockerfile build failed, so the service runcmd does not run' >&2; exit 1; }}",
                    kDockerfileGuestDir, seed.digest, build);
    return seed;
}

} // namespace holos
