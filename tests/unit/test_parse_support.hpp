// Helpers shared by the holos.yaml parser tests: parsing text, diagnostics as text, temporary
// directories and the shape of a table of invalid inputs.
#pragma once

#include "parse.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace holos::testing {

inline const std::string kDnsRule =
    "(lowercase letters, digits and \"-\", at most 63 characters, no \"-\" at either end)";

inline ParseResult parse(std::string_view yaml,
                         const std::filesystem::path& source = "/srv/demo/holos.yaml") {
    return parse_project_text(yaml, "holos.yaml", source);
}

inline std::vector<std::string> formatted(const ParseResult& result) {
    std::vector<std::string> lines;
    for (const Diagnostic& diagnostic : result.diagnostics) {
        lines.push_back(format_diagnostic(diagnostic));
    }
    return lines;
}

// A fresh directory under the test temp dir, removed at the end of the test.
class TempDir {
public:
    explicit TempDir(const std::string& name)
        : path_(std::filesystem::path(::testing::TempDir()) /
                ("holos-parse-" + std::to_string(::getpid())) / name) {
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_.parent_path()); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

    std::filesystem::path write(const std::string& file, const std::string& content) const {
        std::filesystem::create_directories((path_ / file).parent_path());
        std::ofstream(path_ / file) << content;
        return path_ / file;
    }

private:
    std::filesystem::path path_;
};

struct InvalidCase {
    std::string name;
    std::string yaml;
    std::vector<std::string> expected;
};

// Names the case in failure messages instead of dumping its bytes.
inline void PrintTo(const InvalidCase& invalid_case, std::ostream* out) {
    *out << invalid_case.name;
}

inline std::string case_name(const ::testing::TestParamInfo<InvalidCase>& info) {
    return info.param.name;
}

} // namespace holos::testing
