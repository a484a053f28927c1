// Replays every input in tests/fuzz/regressions/ through the parser, under the normal compiler
// and without sanitizers: inputs the fuzzer once crashed or stalled on, and hand-made hostile
// ones (yaml-cpp's endless-document bug, 10000-deep nesting, alias and merge-key bombs). Each
// must end quickly, within bounded memory, in a result that explains itself.
#include "parse.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace holos {
namespace {

// Generous for a debug build on a slow CI machine; a real hang runs for minutes.
constexpr auto kTimeLimit = std::chrono::seconds(5);
constexpr long kMemoryLimitKiB = 512 * 1024;

std::vector<std::filesystem::path> regression_inputs() {
    std::filesystem::path dir =
        std::filesystem::path(HOLOS_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
    std::vector<std::filesystem::path> inputs;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        inputs.push_back(entry.path());
    }
    std::sort(inputs.begin(), inputs.end());
    return inputs;
}

std::string read(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
}

long peak_rss_kib() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

bool has_error(const ParseResult& result) {
    return std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

TEST(FuzzRegressions, HasTheKnownHostileInputs) {
    std::vector<std::filesystem::path> inputs = regression_inputs();
    EXPECT_GE(inputs.size(), 2u);
}

TEST(FuzzRegressions, EndEveryInputQuicklyInAProjectOrAnError) {
    const std::filesystem::path source = "/nonexistent-holos-fuzz/demo/holos.yaml";
    for (const std::filesystem::path& input : regression_inputs()) {
        SCOPED_TRACE(input.filename().string());
        std::string text = read(input);
        long rss_before = peak_rss_kib();
        auto start = std::chrono::steady_clock::now();

        ParseResult result;
        EXPECT_NO_THROW(result = parse_project_text(text, "holos.yaml", source));

        auto elapsed = std::chrono::steady_clock::now() - start;
        EXPECT_LT(elapsed, kTimeLimit);
        EXPECT_LT(peak_rss_kib() - rss_before, kMemoryLimitKiB) << "KiB more at peak";
        EXPECT_NE(result.project.has_value(), has_error(result))
            << "a result must carry either a project or an error";
        EXPECT_FALSE(result.diagnostics.empty() && !result.project);
    }
}

} // namespace
} // namespace holos
