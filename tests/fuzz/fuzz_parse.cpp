// libFuzzer target over the whole holos.yaml front end: YAML loading, the tree copy with its
// alias and merge handling, interpolation, every section reader and the project-wide checks.
// The source file sits in a directory that does not exist, so checks on referenced files
// (images, Dockerfiles, ROMs) fail quickly instead of touching the real file system.
// Any input must end in a result without throwing; a project must only come without errors,
// and printing a project as `holosctl config` does must give a file that reads back the same.
#include "parse.hpp"
#include "project_output.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

const std::filesystem::path kSource = "/nonexistent-holos-fuzz/demo/holos.yaml";

void check(const holos::ParseResult& result) {
    bool has_error = false;
    for (const holos::Diagnostic& diagnostic : result.diagnostics) {
        has_error = has_error || diagnostic.severity == holos::Severity::error;
    }
    if (result.project.has_value() == has_error) {
        std::fputs("fuzz_parse: a project despite errors, or neither a project nor an error\n",
                   stderr);
        std::abort();
    }
    if (!result.project) {
        return;
    }
    // `holosctl config` output is a holos.yaml that reads back to the same project.
    std::string yaml = holos::project_to_yaml(*result.project);
    holos::ParseResult again = holos::parse_project_text(yaml, "config.yaml", kSource);
    if (!again.project || holos::project_to_yaml(*again.project) != yaml) {
        std::fputs("fuzz_parse: the printed project does not read back the same:\n", stderr);
        std::fputs(yaml.c_str(), stderr);
        for (const holos::Diagnostic& diagnostic : again.diagnostics) {
            std::fprintf(stderr, "%s\n", holos::format_diagnostic(diagnostic).c_str());
        }
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    check(holos::parse_project_text(text, "holos.yaml", kSource));

    static const holos::Variables variables = {
        {"PORT", "8080"},
        {"IMAGE", "debian:12"},
        {"EMPTY", ""},
        {"REPLICAS", "2"},
        {"TEXT", "a: b, [c] ${NOT_EXPANDED_TWICE}"},
    };
    check(holos::parse_project_text(text, "holos.yaml", kSource, variables));
    return 0;
}
