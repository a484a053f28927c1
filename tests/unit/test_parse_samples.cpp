// The compose-style files in tests/samples are realistic projects: each must parse without an
// error, and a few facts about them are checked to prove the features they show took effect.
#include "test_parse_support.hpp"

#include <algorithm>
#include <filesystem>
#include <unistd.h>

namespace holos {
namespace {

using testing::formatted;

// tests/samples, found from this source file (meson compiles it by a path relative to the
// build directory, which is the parent of this test's directory).
std::filesystem::path samples_dir() {
    std::filesystem::path source = __FILE__;
    if (source.is_relative()) {
        std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe");
        source = exe.parent_path().parent_path() / source;
    }
    return (source.parent_path().parent_path() / "samples").lexically_normal();
}

std::vector<std::filesystem::path> sample_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(samples_dir())) {
        if (entry.path().extension() == ".yaml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

ParseResult parse_sample(const std::string& name) {
    return parse_project_file(samples_dir() / name);
}

TEST(ParseSamples, ThereAreSeveralSamples) {
    EXPECT_GE(sample_files().size(), 4u) << samples_dir();
}

TEST(ParseSamples, EverySampleParsesWithoutErrors) {
    for (const std::filesystem::path& file : sample_files()) {
        ParseResult result = parse_project_file(file);
        EXPECT_TRUE(result.project.has_value()) << file;
        for (const Diagnostic& diagnostic : result.diagnostics) {
            EXPECT_NE(diagnostic.severity, Severity::error) << format_diagnostic(diagnostic);
        }
    }
}

TEST(ParseSamples, WebStackMergesTheSharedServiceSettings) {
    ParseResult result = parse_sample("web-stack.yaml");
    ASSERT_TRUE(result.project.has_value()) << ::testing::PrintToString(formatted(result));
    const Service* db = find_service(*result.project, "db");
    const Service* web = find_service(*result.project, "web");
    ASSERT_TRUE(db != nullptr && web != nullptr);
    EXPECT_EQ(db->image, "postgres:16");
    EXPECT_EQ(web->image, "debian-12");
    EXPECT_EQ(web->restart, RestartPolicy::unless_stopped);
    EXPECT_EQ(web->stop_grace_period_ms, 90'000);
    EXPECT_EQ(web->vm.memory_mib, 1024);
    ASSERT_EQ(web->depends_on.size(), 1u);
    EXPECT_EQ(web->depends_on[0].condition, DependencyCondition::service_healthy);
    EXPECT_EQ(result.project->volumes.at(0).size_bytes, 20ULL << 30);
}

TEST(ParseSamples, DockerfileBuildTakesItsImageFromFrom) {
    ParseResult result = parse_sample("dockerfile-build.yaml");
    ASSERT_TRUE(result.project.has_value()) << ::testing::PrintToString(formatted(result));
    const Service& site = result.project->services.at(0);
    EXPECT_EQ(site.image, "debian-12");
    EXPECT_EQ(site.dockerfile, samples_dir() / "web-app" / "Dockerfile");
    EXPECT_EQ(site.volumes.at(0).source, (samples_dir() / "web-app" / "site").string());
}

TEST(ParseSamples, WorkersResolveLocalImagesAndConditions) {
    ParseResult result = parse_sample("workers.yaml");
    ASSERT_TRUE(result.project.has_value()) << ::testing::PrintToString(formatted(result));
    const Service* worker = find_service(*result.project, "worker");
    ASSERT_NE(worker, nullptr);
    EXPECT_EQ(worker->image, (samples_dir() / "images" / "worker.raw").string());
    EXPECT_EQ(worker->vm.disk_size_bytes, std::optional<std::uint64_t>(40ULL << 30));
    EXPECT_EQ(worker->depends_on.at(0).condition,
              DependencyCondition::service_completed_successfully);
    EXPECT_EQ(worker->environment.at(2), (std::pair<std::string, std::string>{"DEBUG", "false"}));
    EXPECT_EQ(find_service(*result.project, "migrate")->restart, RestartPolicy::no);
}

} // namespace
} // namespace holos
