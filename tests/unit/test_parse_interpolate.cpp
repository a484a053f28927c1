// ${VAR} interpolation in holos.yaml values, the .env file beside it, and the record of the
// variables a parse used.
#include "parse_interpolate.hpp"
#include "test_parse_support.hpp"

#include <cstdlib>

namespace holos {
namespace {

using testing::formatted;
using testing::TempDir;

const Variables kVariables = {
    {"IMAGE", "debian-12"}, {"EMPTY", ""}, {"N", "3"}, {"WORD", "yes"}, {"TAG", "16"}};

std::string expand(const std::string& text, const Variables& variables = kVariables) {
    parsing::InterpolationTrace trace;
    std::string problem;
    std::optional<std::string> out = parsing::interpolate(text, variables, trace, problem);
    return out ? *out : "error: " + problem;
}

ParseResult parse_with(const std::string& yaml, const Variables& variables = kVariables) {
    return parse_project_text(yaml, "holos.yaml", "/srv/demo/holos.yaml", variables);
}

TEST(Interpolate, SubstitutesEveryForm) {
    EXPECT_EQ(expand("$IMAGE"), "debian-12");
    EXPECT_EQ(expand("${IMAGE}:x"), "debian-12:x");
    EXPECT_EQ(expand("a$IMAGE.b"), "adebian-12.b");
    EXPECT_EQ(expand("${MISSING:-fallback}"), "fallback");
    EXPECT_EQ(expand("${EMPTY:-fallback}"), "fallback");
    EXPECT_EQ(expand("${EMPTY-fallback}"), "");
    EXPECT_EQ(expand("${MISSING-fallback}"), "fallback");
    EXPECT_EQ(expand("${IMAGE:?needed}"), "debian-12");
    EXPECT_EQ(expand("${EMPTY?needed}"), "");
    EXPECT_EQ(expand("${IMAGE:+set}"), "set");
    EXPECT_EQ(expand("${EMPTY:+set}"), "");
    EXPECT_EQ(expand("${EMPTY+set}"), "set");
    EXPECT_EQ(expand("$$IMAGE costs $$5"), "$IMAGE costs $5");
    EXPECT_EQ(expand("${MISSING:-${IMAGE}}"), "debian-12");
    EXPECT_EQ(expand("plain text"), "plain text");
}

TEST(Interpolate, ReportsRequiredVariablesAndBadSyntax) {
    EXPECT_EQ(expand("${MISSING:?set it in .env}"),
              "error: required variable \"MISSING\" is not set: set it in .env");
    EXPECT_EQ(expand("${EMPTY:?}"), "error: required variable \"EMPTY\" is empty");
    EXPECT_EQ(expand("${MISSING?}"), "error: required variable \"MISSING\" is not set");
    EXPECT_EQ(expand("${IMAGE"), "error: unterminated \"${\" in \"${IMAGE\"");
    EXPECT_EQ(expand("${IMAGE:-x"), "error: unterminated \"${\" in \"${IMAGE:-x\"");
    EXPECT_EQ(expand("$"), "error: a \"$\" must start a variable like \"$VAR\" or \"${VAR}\", "
                           "write \"$$\" for a literal \"$\", in \"$\"");
}

TEST(Interpolate, DoesNotEvaluateBranchesNotTaken) {
    parsing::InterpolationTrace trace;
    std::string problem;
    EXPECT_EQ(parsing::interpolate("${IMAGE:-${N:?unused}}", kVariables, trace, problem),
              std::optional<std::string>("debian-12"));
    EXPECT_EQ(trace.used, (parsing::VariableMap{{"IMAGE", "debian-12"}}));
}

TEST(InterpolateFile, AppliesToValuesBeforeTheyAreRead) {
    ParseResult result = parse_with("services:\n  web:\n    image: ${IMAGE}\n"
                                    "    replicas: ${N}\n    cloud_init:\n"
                                    "      runcmd: [\"echo $$HOME\"]\n");
    ASSERT_TRUE(result.project.has_value()) << ::testing::PrintToString(formatted(result));
    EXPECT_EQ(result.project->services[0].image, "debian-12");
    EXPECT_EQ(result.project->services[0].replicas, 3);
    EXPECT_EQ(result.project->services[0].cloud_init.runcmd[0].shell, "echo $HOME");
}

TEST(InterpolateFile, TakesASubstitutedValueAsPlainText) {
    ParseResult result = parse_with("services:\n  web:\n    image: ${WORD}\n");
    ASSERT_TRUE(result.project.has_value()) << ::testing::PrintToString(formatted(result));
    EXPECT_EQ(result.project->services[0].image, "yes");
}

TEST(InterpolateFile, LeavesKeysAndUnusedExtensionsAlone) {
    ParseResult result = parse_with("x-unused: ${NOPE:?never read}\n"
                                    "services:\n  web:\n    image: a\n    environment:\n"
                                    "      $KEY: 1\n");
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{"holos.yaml:6:7: services.web.environment.$KEY: expected "
                                       "a variable name (letters, digits and \"_\", not starting "
                                       "with a digit), got \"$KEY\""});
}

TEST(InterpolateFile, WarnsAboutUnsetVariablesAndUsesAnEmptyString) {
    ParseResult result = parse_with("services:\n  web:\n    image: \"postgres:${PG}${TAG}\"\n");
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->services[0].image, "postgres:16");
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{"holos.yaml:3:12: warning: services.web.image: variable "
                                       "\"PG\" is not set, using an empty string"});
}

TEST(InterpolateFile, RecordsTheVariablesUsedWithTheirValues) {
    ParseResult result = parse_with("services:\n  web:\n    image: ${IMAGE}\n"
                                    "    environment: [\"A=${EMPTY:-x}\", \"B=${GONE:-y}\"]\n");
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.variables_used, (Variables{{"EMPTY", ""}, {"IMAGE", "debian-12"}}));

    std::string text = "services:\n  web:\n    image: ${IMAGE}\n";
    ParseResult again = parse_project_text(text, "holos.yaml", "/srv/demo/holos.yaml",
                                           parse_with(text).variables_used);
    EXPECT_EQ(again.project->services[0].image, "debian-12");
}

TEST(InterpolateFile, UsesNoVariablesWithoutTheFourthArgument) {
    ParseResult result = parse_project_text("services:\n  web:\n    image: ${IMAGE:-fallback}\n",
                                            "holos.yaml", "/srv/demo/holos.yaml");
    ASSERT_TRUE(result.project.has_value());
    EXPECT_EQ(result.project->services[0].image, "fallback");
    EXPECT_TRUE(result.variables_used.empty());
}

// ---- .env ----------------------------------------------------------------------------------

TEST(EnvFile, ParsesQuotesCommentsAndExport) {
    Diagnostics diagnostics(".env");
    parsing::VariableMap variables = parsing::parse_env_file(
        "# settings\n\nA=1\nexport B = two words \nC=\"quoted # not a comment\"\n"
        "D='single $X'\nE=\"line\\nbreak\"\nF=value # comment\nG=\n",
        diagnostics);
    EXPECT_TRUE(diagnostics.all().empty());
    EXPECT_EQ(variables, (parsing::VariableMap{{"A", "1"},
                                               {"B", "two words"},
                                               {"C", "quoted # not a comment"},
                                               {"D", "single $X"},
                                               {"E", "line\nbreak"},
                                               {"F", "value"},
                                               {"G", ""}}));
}

TEST(EnvFile, ReportsMalformedLinesWithTheirNumbers) {
    Diagnostics diagnostics(".env");
    parsing::parse_env_file("OK=1\nNOEQUALS\n1BAD=x\nQ=\"open\nR='a' b\n", diagnostics);
    std::vector<std::string> lines;
    for (const Diagnostic& diagnostic : diagnostics.all()) {
        lines.push_back(format_diagnostic(diagnostic));
    }
    EXPECT_EQ(lines, (std::vector<std::string>{
                         ".env:2:1: expected NAME=VALUE, got \"NOEQUALS\"",
                         ".env:3:1: invalid variable name \"1BAD\" (letters, digits and \"_\", "
                         "not starting with a digit)",
                         ".env:4:1: unterminated quote in the value",
                         ".env:5:1: unexpected text \"b\" after the quoted value",
                     }));
}

TEST(EnvFile, IsReadBesideTheComposeFileUnderTheProcessEnvironment) {
    TempDir dir("dotenv");
    dir.write(".env", "HOLOS_TEST_IMAGE=from-dotenv\nHOLOS_TEST_OVERRIDDEN=from-dotenv\n");
    std::filesystem::path file =
        dir.write("holos.yaml", "services:\n  web:\n    image: ${HOLOS_TEST_IMAGE}\n"
                                "    environment: [\"X=${HOLOS_TEST_OVERRIDDEN}\"]\n");
    ::setenv("HOLOS_TEST_OVERRIDDEN", "from-environment", 1);
    ParseResult result = parse_project_file(file);
    ::unsetenv("HOLOS_TEST_OVERRIDDEN");

    ASSERT_TRUE(result.project.has_value()) << ::testing::PrintToString(formatted(result));
    EXPECT_EQ(result.project->services[0].image, "from-dotenv");
    EXPECT_EQ(result.project->services[0].environment.at(0).second, "from-environment");
    EXPECT_EQ(result.variables_used, (Variables{{"HOLOS_TEST_IMAGE", "from-dotenv"},
                                                {"HOLOS_TEST_OVERRIDDEN", "from-environment"}}));
}

TEST(EnvFile, AMalformedLineFailsTheParse) {
    TempDir dir("dotenv-bad");
    dir.write(".env", "# ok\nnot a line\n");
    std::filesystem::path file = dir.write("holos.yaml", "services:\n  web:\n    image: a\n");
    ParseResult result = parse_project_file(file);
    EXPECT_FALSE(result.project.has_value());
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{(dir.path() / ".env").string() +
                                       ":2:1: expected NAME=VALUE, got \"not a line\""});
}

} // namespace
} // namespace holos
