#include "unit_file.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

struct QuoteCase {
    const char* name;
    const char* input;
    const char* expected;
};

class QuoteExecArg : public testing::TestWithParam<QuoteCase> {};

TEST_P(QuoteExecArg, QuotesExactlyWhatSystemdWouldReinterpret) {
    EXPECT_EQ(quote_exec_arg(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, QuoteExecArg,
    testing::Values(QuoteCase{"plain", "-nodefaults", "-nodefaults"},
                    QuoteCase{"empty", "", "\"\""},
                    QuoteCase{"space", "a b", "\"a b\""},
                    QuoteCase{"specifier", "50%", "50%%"},
                    QuoteCase{"variable", "$HOME", "$$HOME"},
                    QuoteCase{"double_quote", "say \"hi\"", "\"say \\\"hi\\\"\""},
                    QuoteCase{"backslash", "a\\b", "\"a\\\\b\""},
                    QuoteCase{"newline", "a\nExecStartPost=/bin/evil",
                              "\"a\\nExecStartPost=/bin/evil\""},
                    QuoteCase{"semicolon", ";", "\\;"},
                    QuoteCase{"control", "a\x01", "\"a\\x01\""}),
    [](const testing::TestParamInfo<QuoteCase>& info) { return info.param.name; });

TEST(ExecCommandLine, JoinsQuotedWordsWithSpaces) {
    EXPECT_EQ(exec_command_line({"/usr/bin/qemu", "-name", "a b"}), "/usr/bin/qemu -name \"a b\"");
}

TEST(EscapeText, NeutralisesSpecifiersNewlinesAndContinuations) {
    EXPECT_EQ(escape_text("100% done\nExecStart=x\\"), "100%% done ExecStart=x ");
}

TEST(UnitFileBuilder, WritesHeaderCommentsAndSections) {
    UnitFileBuilder unit("first line\nsecond line");
    unit.section("Unit").set("Description", "d").section("Service").set("Type", "exec");
    EXPECT_EQ(unit.str(),
              "# first line\n# second line\n\n[Unit]\nDescription=d\n\n[Service]\nType=exec\n");
}

TEST(QuotePath, QuotesAndEscapesSpecifiersButCannotCarryQuotes) {
    EXPECT_EQ(quote_path("/srv/my site"), "\"/srv/my site\"");
    EXPECT_EQ(quote_path("/srv/100%"), "\"/srv/100%%\"");
    EXPECT_EQ(quote_path("/a\"b\\c\nd"), "\"/a_b_c_d\"");
}

TEST(UnitFileBuilder, CommentsCannotStartANewLine) {
    UnitFileBuilder unit("");
    unit.section("Unit").comment("depends on db\nExecStart=/bin/evil");
    EXPECT_EQ(unit.str(), "[Unit]\n# depends on db ExecStart=/bin/evil\n");
}

} // namespace
} // namespace holos
