#include "parse.hpp"

#include "temp_dir.hpp"

#include <fstream>

#include <gtest/gtest.h>

namespace holos {
namespace {

std::vector<std::string> errors_of(const ParseResult& result) {
    std::vector<std::string> lines;
    for (const Diagnostic& diagnostic : result.diagnostics) {
        lines.push_back(format_diagnostic(diagnostic));
    }
    return lines;
}

TEST(ParseInput, RejectsInvalidUtf8AtItsPosition) {
    ParseResult result = parse_project_text(
        "name: x\nservices:\n  web:\n    image: \"bad\xff\"\n", "holos.yaml", "/p/holos.yaml");
    EXPECT_FALSE(result.project);
    EXPECT_EQ(errors_of(result), std::vector<std::string>{
                                     "holos.yaml:4:16: invalid UTF-8 byte 0xff; save the file "
                                     "as UTF-8"});
}

TEST(ParseInput, RejectsAnOverlongEncoding) {
    ParseResult result =
        parse_project_text("name: \xc0\xaf\n", "holos.yaml", "/p/holos.yaml");
    EXPECT_EQ(errors_of(result), std::vector<std::string>{
                                     "holos.yaml:1:7: invalid UTF-8 byte 0xc0; save the file "
                                     "as UTF-8"});
}

TEST(ParseInput, AcceptsMultibyteText) {
    ParseResult result = parse_project_text(
        "name: x\nservices:\n  web:\n    image: debian:12\n    cloud_init:\n      runcmd:\n"
        "        - echo \"grüße 👋\"\n",
        "holos.yaml", "/p/holos.yaml");
    EXPECT_TRUE(result.project) << (result.diagnostics.empty()
                                        ? ""
                                        : format_diagnostic(result.diagnostics[0]));
}

TEST(ParseInput, RejectsAVariableThatIsNotUtf8) {
    ParseResult result = parse_project_text(
        "name: x\nservices:\n  web:\n    image: a\n    environment:\n      A: ${IMG}\n",
        "holos.yaml", "/p/holos.yaml", {{"IMG", "a\xfe"}});
    EXPECT_EQ(errors_of(result),
              std::vector<std::string>{"holos.yaml: variable \"IMG\" is not valid UTF-8"});
}

TEST(ParseInput, RefusesAFileLargerThanOneMebibyte) {
    testing_support::TempDir dir;
    std::filesystem::path file = dir.path() / "holos.yaml";
    std::ofstream(file) << "# " << std::string(2 << 20, 'x') << "\n";
    ParseResult result = parse_project_file(file);
    EXPECT_EQ(errors_of(result), std::vector<std::string>{file.string() +
                                                          ": the file is larger than 1 MiB; is "
                                                          "it the right file?"});
}

} // namespace
} // namespace holos
