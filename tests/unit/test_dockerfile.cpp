// Dockerfile provisioning: the reader's lexical rules, what each instruction becomes, the
// checks on COPY sources, the first-boot script and seed entries, and when a disk is rebuilt.
#include "cloud_init.hpp"
#include "dockerfile_lexer.hpp"
#include "dockerfile_reprovision.hpp"
#include "dockerfile_seed.hpp"
#include "test_parse_support.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>

namespace holos {
namespace {

using testing::formatted;
using testing::parse;
using testing::TempDir;
using Kind = DockerfileStep::Kind;

Service only_service(const ParseResult& result) {
    EXPECT_TRUE(result.project) << ::testing::PrintToString(formatted(result));
    return result.project->services.front();
}

ParseResult parse_dockerfile_text(const TempDir& dir, const std::string& dockerfile) {
    dir.write("Dockerfile", dockerfile);
    return parse("services:\n  web:\n    dockerfile: Dockerfile\n", dir.path() / "holos.yaml");
}

std::string base64_decode(std::string_view text) {
    static const std::string kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::uint32_t bits = 0;
    int count = 0;
    for (char c : text) {
        if (c == '=') {
            break;
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(kAlphabet.find(c));
        if ((count += 6) >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xff);
        }
    }
    return out;
}

std::string gunzip(const std::string& data) {
    z_stream z{};
    inflateInit2(&z, 15 + 16);
    std::string out(1 << 20, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    inflateEnd(&z);
    return out;
}

// ---- the reader ----------------------------------------------------------------------------

TEST(DockerfileLexer, JoinsContinuationLinesAndSkipsCommentsBetweenThem) {
    dockerfile::Lexed lexed = dockerfile::lex("FROM a\nrun apt-get update && \\\n"
                                              "# a comment\n\n    apt-get install -y x\n");
    ASSERT_EQ(lexed.instructions.size(), 2u);
    EXPECT_EQ(lexed.instructions[1].keyword, "RUN");
    EXPECT_EQ(lexed.instructions[1].arguments, "apt-get update &&     apt-get install -y x");
    EXPECT_EQ(lexed.instructions[1].at.line, 2);
}

TEST(DockerfileLexer, HonoursTheEscapeDirective) {
    dockerfile::Lexed lexed = dockerfile::lex("# escape=`\nFROM a\nRUN dir c:\\ `\n  /w\n");
    EXPECT_EQ(lexed.escape, '`');
    ASSERT_EQ(lexed.instructions.size(), 2u);
    EXPECT_EQ(lexed.instructions[1].arguments, "dir c:\\   /w");
}

TEST(DockerfileLexer, ReadsHeredocBodiesAfterTheInstruction) {
    dockerfile::Lexed lexed =
        dockerfile::lex("FROM a\nRUN cat <<EOF >/x && cat <<-'END' >/y\nline $HOME\nEOF\n"
                        "\tother\n\tEND\nRUN true\n");
    ASSERT_EQ(lexed.instructions.size(), 3u);
    const dockerfile::Instruction& run = lexed.instructions[1];
    ASSERT_EQ(run.heredocs.size(), 2u);
    EXPECT_EQ(run.heredocs[0].body, "line $HOME\n");
    EXPECT_FALSE(run.heredocs[0].quoted);
    EXPECT_EQ(run.heredocs[1].name, "END");
    EXPECT_TRUE(run.heredocs[1].strip_tabs);
    EXPECT_TRUE(run.heredocs[1].quoted);
    EXPECT_EQ(lexed.instructions[2].at.line, 7);
}

TEST(DockerfileLexer, ReportsAnUnclosedHeredoc) {
    dockerfile::Lexed lexed = dockerfile::lex("FROM a\nRUN <<EOF\necho\n");
    ASSERT_EQ(lexed.problems.size(), 1u);
    EXPECT_EQ(lexed.problems[0].message, "the heredoc \"EOF\" has no closing \"EOF\" line");
}

TEST(DockerfileWords, KeepSingleQuotedTextLiteralAndLetTheShellExpandTheRest) {
    std::string problem;
    auto words =
        dockerfile::split_words(R"(A="two words" B='$HOME' C=$PATH:/x D=\$E $(x))", '\\', problem);
    ASSERT_TRUE(words);
    ASSERT_EQ(words->size(), 5u);
    EXPECT_EQ((*words)[0].plain(), "A=two words");
    EXPECT_EQ((*words)[1].shell(), "\"B=\"'$HOME'");
    EXPECT_EQ((*words)[2].shell(), "\"C=$PATH:/x\"");
    EXPECT_EQ((*words)[3].shell(), "\"D=\"'$'\"E\"");
    EXPECT_EQ((*words)[4].shell(), "\"\\$(x)\"");
}

// ---- instructions --------------------------------------------------------------------------

TEST(DockerfileSteps, TranslateEachBuildInstructionInOrder) {
    TempDir dir("df-steps");
    dir.write("app/main.py", "print('hi')\n");
    Service service = only_service(parse_dockerfile_text(
        dir, "ARG BASE=debian-12\nFROM ${BASE}\nARG VERSION=1.2 NAME\n"
             "ENV APP_HOME=/opt/app MESSAGE=\"hello world\"\nENV LEGACY value with spaces\n"
             "WORKDIR $APP_HOME\nRUN [\"echo\", \"exec form\"]\n"
             "COPY --chmod=755 --chown=app:app app/main.py ./\nUSER app\nRUN id -u\n"
             "SHELL [\"/bin/bash\", \"-c\"]\nLABEL x=y\n"));
    EXPECT_EQ(service.image, "debian-12");
    std::vector<Kind> kinds;
    for (const DockerfileStep& step : service.dockerfile_steps) {
        kinds.push_back(step.kind);
    }
    EXPECT_EQ(kinds, (std::vector<Kind>{Kind::arg, Kind::env, Kind::env, Kind::workdir, Kind::run,
                                        Kind::copy, Kind::user, Kind::run, Kind::shell}));
    const auto& steps = service.dockerfile_steps;
    EXPECT_EQ(steps[0].variables, (std::vector<std::pair<std::string, std::string>>{
                                      {"VERSION", "\"1.2\""}, {"NAME", "''"}}));
    EXPECT_EQ(steps[1].variables[1],
              (std::pair<std::string, std::string>{"MESSAGE", "\"hello world\""}));
    EXPECT_EQ(steps[2].variables[0].second, "\"value\"' '\"with\"' '\"spaces\"");
    EXPECT_EQ(steps[3].target, "\"$APP_HOME\"");
    EXPECT_EQ(steps[4].argv, (std::vector<std::string>{"echo", "exec form"}));
    ASSERT_EQ(steps[5].items.size(), 1u);
    EXPECT_EQ(steps[5].items[0].source, dir.path() / "app" / "main.py");
    EXPECT_EQ(steps[5].items[0].target, "\".\"'/main.py'");
    EXPECT_EQ(steps[5].items[0].mode, "0755");
    EXPECT_EQ(steps[5].owner, "\"app:app\"");
    EXPECT_EQ(steps[7].line, 10);
    EXPECT_EQ(steps[7].summary, "RUN id -u");
}

TEST(DockerfileSteps, RunsAHeredocAsAScript) {
    TempDir dir("df-heredoc");
    Service service = only_service(parse_dockerfile_text(
        dir, "FROM a\nRUN <<EOF\nset -e\necho one\nEOF\nRUN python3 - <<'PY'\nprint(1)\nPY\n"));
    ASSERT_EQ(service.dockerfile_steps.size(), 2u);
    EXPECT_EQ(service.dockerfile_steps[0].shell_command, "set -e\necho one\n");
    EXPECT_EQ(service.dockerfile_steps[1].shell_command, "python3 - <<'PY'\nprint(1)\nPY");
}

TEST(DockerfileSteps, CopiesADirectorysContentsAndHeredocs) {
    TempDir dir("df-copy-dir");
    dir.write("site/index.html", "<p>hi</p>\n");
    dir.write("site/css/a.css", "p{}\n");
    Service service = only_service(parse_dockerfile_text(
        dir, "FROM a\nCOPY site /srv/www/\nCOPY <<EOF /etc/motd\nhello\nEOF\n"));
    const std::vector<CopiedItem>& items = service.dockerfile_steps[0].items;
    ASSERT_EQ(items.size(), 4u);
    EXPECT_TRUE(items[0].directory);
    EXPECT_EQ(items[0].target, "\"/srv/www\"");
    EXPECT_EQ(items[1].target, "\"/srv/www\"'/css'");
    EXPECT_TRUE(items[1].directory);
    EXPECT_EQ(items[2].target, "\"/srv/www\"'/css/a.css'");
    EXPECT_EQ(items[3].source, dir.path() / "site" / "index.html");
    const CopiedItem& motd = service.dockerfile_steps[1].items.at(0);
    EXPECT_EQ(motd.content, "hello\n");
    EXPECT_EQ(motd.target, "\"/etc/motd\"");
}

struct RejectCase {
    std::string name;
    std::string dockerfile;
    std::string expected;
};

void PrintTo(const RejectCase& c, std::ostream* out) {
    *out << c.name;
}

class DockerfileRejects : public ::testing::TestWithParam<RejectCase> {};

TEST_P(DockerfileRejects, WithTheFieldToUseInstead) {
    TempDir dir("df-reject");
    dir.write("a.txt", "a");
    dir.write("b.txt", "b");
    std::filesystem::create_directories(dir.path().parent_path() / "outside");
    dir.write("../outside/secret", "s");
    std::filesystem::create_symlink("../outside/secret", dir.path() / "link");
    ParseResult result = parse_dockerfile_text(dir, GetParam().dockerfile);
    std::string expected = GetParam().expected;
    for (auto [placeholder, path] :
         {std::pair{"@CONTEXT@", dir.path()}, std::pair{"@PARENT@", dir.path().parent_path()}}) {
        for (std::size_t at; (at = expected.find(placeholder)) != std::string::npos;) {
            expected.replace(at, std::string_view(placeholder).size(), path.string());
        }
    }
    EXPECT_EQ(formatted(result), std::vector<std::string>{expected});
}

const std::string kRunUnit = "a VM has no main command: start programs with cloud_init.runcmd, "
                             "or as a systemd unit written with cloud_init.write_files";

INSTANTIATE_TEST_SUITE_P(
    Instructions, DockerfileRejects,
    ::testing::Values(
        RejectCase{"cmd", "FROM a\nCMD [\"nginx\"]\n",
                   "Dockerfile:2:1: CMD: has no meaning for a VM, " + kRunUnit},
        RejectCase{"entrypoint", "FROM a\n  entrypoint /x\n",
                   "Dockerfile:2:3: ENTRYPOINT: has no meaning for a VM, a VM has no entry "
                   "point: start programs with cloud_init.runcmd, or as a systemd unit written "
                   "with cloud_init.write_files"},
        RejectCase{"expose", "FROM a\nEXPOSE 80\n",
                   "Dockerfile:2:1: EXPOSE: has no meaning for a VM, forward guest ports with "
                   "\"ports\" in holos.yaml"},
        RejectCase{"healthcheck", "FROM a\nHEALTHCHECK CMD true\n",
                   "Dockerfile:2:1: HEALTHCHECK: has no meaning for a VM, use \"healthcheck\" "
                   "in holos.yaml"},
        RejectCase{"volume", "FROM a\nRUN true\nVOLUME /data\n",
                   "Dockerfile:3:1: VOLUME: has no meaning for a VM, use \"volumes\" in "
                   "holos.yaml"},
        RejectCase{"multi_stage", "FROM a\nFROM b\n",
                   "Dockerfile:2:1: FROM: multi-stage builds are not supported: holos "
                   "provisions one VM from one FROM"},
        RejectCase{"other_platform", "FROM --platform=linux/arm64 a\n",
                   "Dockerfile:1:1: FROM: FROM --platform=linux/arm64 is not supported: holos "
                   "boots x86_64 images"},
        RejectCase{"before_from", "RUN true\nFROM a\n",
                   "Dockerfile:1:1: RUN: expected FROM first (only ARG may come before it)"},
        RejectCase{"unknown", "FROM a\nFOO bar\n", "Dockerfile:2:1: FOO: unknown instruction"},
        RejectCase{"copy_missing", "FROM a\nCOPY nope /x\n",
                   "Dockerfile:2:1: COPY: \"nope\" does not exist in the build context "
                   "@CONTEXT@"},
        RejectCase{"copy_outside", "FROM a\nCOPY ../outside/secret /x\n",
                   "Dockerfile:2:1: COPY: \"@PARENT@/outside/secret\" is outside the build "
                   "context @CONTEXT@"},
        RejectCase{"copy_symlink_outside", "FROM a\nCOPY link /x\n",
                   "Dockerfile:2:1: COPY: \"@CONTEXT@/link\" is outside the build context "
                   "@CONTEXT@"},
        RejectCase{"copy_many_to_file", "FROM a\nCOPY *.txt /x\n",
                   "Dockerfile:2:1: COPY: with more than one source file the destination must "
                   "end with \"/\""},
        RejectCase{"copy_bad_chmod", "FROM a\nCOPY --chmod=u+x a.txt /x\n",
                   "Dockerfile:2:1: COPY: --chmod takes an octal mode like 0644, got \"u+x\""},
        RejectCase{"copy_from", "FROM a\nCOPY --from=build /a /b\n",
                   "Dockerfile:2:1: COPY: COPY --from (multi-stage builds) is not supported"},
        RejectCase{"env_without_value", "FROM a\nENV A=1 B\n",
                   "Dockerfile:2:1: ENV: expected NAME=VALUE, got \"B\""},
        RejectCase{"unterminated_quote", "FROM a\nENV A=\"x\n",
                   "Dockerfile:2:1: ENV: unterminated double quote"}),
    [](const ::testing::TestParamInfo<RejectCase>& info) { return info.param.name; });

TEST(DockerfileRejectsMessages, NameTheContextDirectory) {
    // The table above writes @CONTEXT@ for the temporary directory; this checks one message
    // with the directory filled in, so the placeholder cannot hide a wrong path.
    TempDir dir("df-context");
    ParseResult result = parse_dockerfile_text(dir, "FROM a\nCOPY nope /x\n");
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{"Dockerfile:2:1: COPY: \"nope\" does not exist in the build "
                                       "context " +
                                       dir.path().string()});
}

TEST(DockerfileCopy, RefusesMoreThanTheSeedCarries) {
    TempDir dir("df-big");
    dir.write("big", std::string(kMaxDockerfileCopyBytes / 2 + 1, 'x'));
    dir.write("big2", std::string(kMaxDockerfileCopyBytes / 2 + 1, 'y'));
    ParseResult result = parse_dockerfile_text(dir, "FROM a\nCOPY big /a\nCOPY big2 /b\n");
    EXPECT_EQ(formatted(result),
              std::vector<std::string>{"Dockerfile:3:1: COPY: the files copied by this "
                                       "Dockerfile exceed 4 MiB, the most the seed carries; put "
                                       "large files into the image or a volume"});
}

// ---- the script and the seed ---------------------------------------------------------------

TEST(DockerfileScript, RunsEachStepAsTheCurrentUserInTheCurrentDirectory) {
    TempDir dir("df-script");
    dir.write("conf", "x=1\n");
    Service service = only_service(parse_dockerfile_text(
        dir, "FROM a\nENV A=\"one two\"\nWORKDIR /opt/app\nCOPY conf /etc/app.conf\n"
             "USER app\nRUN echo \"$A\" > out\n"));
    std::string script = dockerfile_script(service);
    std::string steps = script.substr(script.find("\nholos_step 2 "));
    EXPECT_EQ(steps, "\nholos_step 2 'ENV A=\"one two\"'\nexport A=\"one two\"\n"
                     "\nholos_step 3 'WORKDIR /opt/app'\nmkdir -p -- \"/opt/app\"\n"
                     "cd -- \"/opt/app\"\n"
                     "\nholos_step 4 'COPY conf /etc/app.conf'\n"
                     "holos_copy /var/lib/holos/dockerfile/copy/0 \"/etc/app.conf\" 0644 '' "
                     "'conf'\n"
                     "\nholos_step 5 'USER app'\nholos_user=\"app\"\n"
                     "\nholos_step 6 'RUN echo \"$A\" > out'\n"
                     "holos_as '/bin/sh' '-c' 'echo \"$A\" > out'\n"
                     "\nrm -rf /var/lib/holos/dockerfile/copy\n"
                     "echo \"$1\" >/var/lib/holos/dockerfile/done\nholos_step end 'built'\n");
}

TEST(DockerfileScript, IsValidShell) {
    TempDir dir("df-sh");
    dir.write("f", "x");
    Service service = only_service(parse_dockerfile_text(
        dir, "FROM a\nARG V=1\nRUN <<EOF\nif true; then echo 'it''s'; fi\nEOF\n"
             "COPY --chown=a:b f /x/\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo $V\n"));
    std::filesystem::path script = dir.write("build.sh", dockerfile_script(service));
    EXPECT_EQ(std::system(("sh -n " + script.string()).c_str()), 0);
}

TEST(DockerfileSeed, StagesCopiedFilesCompressedAndRunsFirst) {
    TempDir dir("df-seed");
    dir.write("conf", "content of the file\n");
    Service service =
        only_service(parse_dockerfile_text(dir, "FROM a\nENV X=1\nCOPY conf /etc/app.conf\n"));
    DockerfileSeed seed = dockerfile_seed(service);
    ASSERT_EQ(seed.files.size(), 3u);
    EXPECT_EQ(seed.files[0].path, "/var/lib/holos/dockerfile/build.sh");
    EXPECT_EQ(seed.files[0].permissions, "0700");
    EXPECT_EQ(seed.files[1].path, "/etc/profile.d/holos-dockerfile.sh");
    EXPECT_EQ(seed.files[2].path, "/var/lib/holos/dockerfile/copy/0");
    EXPECT_EQ(seed.files[2].encoding, "gz+b64");
    EXPECT_EQ(gunzip(base64_decode(seed.files[2].content)), "content of the file\n");
    EXPECT_NE(seed.run.shell.find("/var/lib/holos/dockerfile/build.sh " + seed.digest),
              std::string::npos);

    Project project =
        *parse_dockerfile_text(dir, "FROM a\nENV X=1\nCOPY conf /etc/app.conf\n").project;
    project.services[0].cloud_init.runcmd.push_back({{}, "echo mine"});
    SeedInput input{project, project.services[0], 0, "ssh-ed25519 AAAA k", nullptr, &seed};
    std::string data = user_data(input);
    std::size_t build = data.find("dockerfile/build.sh " + seed.digest);
    ASSERT_NE(build, std::string::npos);
    EXPECT_LT(build, data.find("echo mine"));
}

TEST(DockerfileSeed, DigestFollowsTheDockerfileAndEveryCopiedByte) {
    TempDir dir("df-digest");
    dir.write("conf", "one\n");
    std::string text = "FROM a\nCOPY conf /etc/app.conf\n";
    std::string first = dockerfile_seed(only_service(parse_dockerfile_text(dir, text))).digest;
    EXPECT_EQ(dockerfile_seed(only_service(parse_dockerfile_text(dir, text))).digest, first);
    dir.write("conf", "two\n");
    std::string second = dockerfile_seed(only_service(parse_dockerfile_text(dir, text))).digest;
    EXPECT_NE(second, first);
    std::string third =
        dockerfile_seed(only_service(parse_dockerfile_text(dir, text + "RUN true\n"))).digest;
    EXPECT_NE(third, second);
}

TEST(DockerfileReprovision, RebuildsOnlyADiskBuiltFromOtherInputs) {
    TempDir dir("df-reprovision");
    InstanceFiles files;
    files.overlay = dir.path() / "overlay.qcow2";
    files.build_digest = dir.path() / "dockerfile.digest";
    EXPECT_EQ(build_state(files, "abc"), BuildState::none);
    dir.write("overlay.qcow2", "disk");
    EXPECT_EQ(build_state(files, "abc"), BuildState::changed);
    DockerfileSeed seed;
    seed.digest = "abc";
    record_build(files, seed);
    EXPECT_EQ(build_state(files, "abc"), BuildState::current);
    EXPECT_EQ(build_state(files, "abd"), BuildState::changed);

    dir.write("Dockerfile", "FROM a\nRUN true\n");
    Service service = only_service(parse_dockerfile_text(dir, "FROM a\nRUN true\n"));
    std::vector<std::string> actions;
    std::optional<DockerfileSeed> built = prepare_build(service, files, actions);
    ASSERT_TRUE(built);
    EXPECT_FALSE(std::filesystem::exists(files.overlay));
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0], "the Dockerfile or a file it copies changed (build " + built->digest +
                              "): re-provisioning on a fresh overlay");
}

} // namespace
} // namespace holos
