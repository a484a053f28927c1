#include "registry.hpp"

#include "atomic_file.hpp"
#include "error.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

class RegistryTest : public testing::Test {
protected:
    testing_support::TempDir root_;
    Paths paths_{Scope::system, root_.path() / "etc", root_.path() / "run",
                 root_.path() / "lib"};
};

Registration sample() {
    return {"hello",
            "/src/hello/holos.yaml",
            {{"PORT", "8080"}},
            {{"web-0", 40022}, {"web-1", 40023}},
            {{"web-0", {{"80/tcp", 41000}}}}};
}

TEST_F(RegistryTest, RoundTripsThroughJson) {
    Registration back = registration_from_json(registration_to_json(sample()), "x");
    EXPECT_EQ(back.project, "hello");
    EXPECT_EQ(back.source_file, "/src/hello/holos.yaml");
    EXPECT_EQ(back.ssh_ports, sample().ssh_ports);
    EXPECT_EQ(back.variables, sample().variables);
    EXPECT_EQ(back.allocated_ports, sample().allocated_ports);
}

TEST_F(RegistryTest, RoundTripsTheNetwork) {
    Registration registration = sample();
    registration.network = ProjectNetwork{
        {0x0a0a0000, 24}, {"239.192.3.4", 21000}, {{"web-0", 0x0a0a0002}, {"web-1", 0x0a0a0003}}};
    Registration back = registration_from_json(registration_to_json(registration), "x");
    ASSERT_TRUE(back.network);
    EXPECT_EQ(back.network->segment, (Segment{"239.192.3.4", 21000}));
    EXPECT_EQ(back.network->addresses, registration.network->addresses);
}

TEST_F(RegistryTest, ReadsARegistrationWithoutANetwork) {
    Registration back = registration_from_json(registration_to_json(sample()), "x");
    EXPECT_FALSE(back.network);
}

TEST_F(RegistryTest, ABadNetworkAddressNamesTheFile) {
    Registration registration = sample();
    registration.network = ProjectNetwork{{0x0a0a0000, 24}, {"239.192.3.4", 21000}, {}};
    std::string json = registration_to_json(registration);
    json.replace(json.find("239.192.3.4"), 11, "239.192.3.x");
    try {
        registration_from_json(json, "/run/holos/projects/hello/registration.json");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("registration.json: network.group"), std::string::npos)
            << e.what();
    }
}

TEST_F(RegistryTest, MalformedJsonNamesTheFile) {
    try {
        registration_from_json("{\"project\": 3}", "/run/holos/projects/x/registration.json");
        FAIL() << "expected an error";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("/run/holos/projects/x/registration.json"),
                  std::string::npos);
    }
}

TEST_F(RegistryTest, WritesSnapshotAndRegistration) {
    write_registration(paths_, sample(), "name: hello\n");
    EXPECT_EQ(read_file(registration_dir(paths_, "hello") / "holos.yaml"), "name: hello\n");
    EXPECT_EQ(read_registration(paths_, "hello").ssh_ports.at("web-1"), 40023);
    EXPECT_EQ(registered_projects(paths_), std::vector<std::string>{"hello"});
}

TEST_F(RegistryTest, ReplacingKeepsOneDirectoryAndNoStagingLeftovers) {
    write_registration(paths_, sample(), "first\n");
    write_registration(paths_, sample(), "second\n");
    EXPECT_EQ(read_file(registration_dir(paths_, "hello") / "holos.yaml"), "second\n");
    int entries = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(paths_.projects_dir(Lifetime::runtime))) {
        ++entries;
    }
    EXPECT_EQ(entries, 1);
}

TEST_F(RegistryTest, RemoveIsIdempotent) {
    write_registration(paths_, sample(), "x\n");
    remove_registration(paths_, "hello");
    remove_registration(paths_, "hello");
    EXPECT_TRUE(registered_projects(paths_).empty());
}

TEST_F(RegistryTest, NoProjectsDirectoryMeansNoProjects) {
    EXPECT_TRUE(registered_projects(paths_).empty());
}

Registration installed(bool enabled) {
    Registration registration = sample();
    registration.lifetime = Lifetime::installed;
    registration.enabled = enabled;
    return registration;
}

TEST_F(RegistryTest, InstallingMovesTheRegistrationUnderTheConfigDirectory) {
    write_registration(paths_, sample(), "x\n");
    write_registration(paths_, installed(true), "y\n");
    EXPECT_FALSE(std::filesystem::exists(root_.path() / "run" / "projects" / "hello"));
    EXPECT_EQ(read_file(root_.path() / "etc" / "projects" / "hello" / "holos.yaml"), "y\n");
    Registration back = read_registration(paths_, "hello");
    EXPECT_EQ(back.lifetime, Lifetime::installed);
    EXPECT_TRUE(back.enabled);
    EXPECT_EQ(back.ssh_ports, sample().ssh_ports);
}

TEST_F(RegistryTest, UninstallingMovesItBackUnderTheRuntimeDirectory) {
    write_registration(paths_, installed(false), "x\n");
    write_registration(paths_, sample(), "x\n");
    EXPECT_FALSE(std::filesystem::exists(root_.path() / "etc" / "projects" / "hello"));
    EXPECT_EQ(read_registration(paths_, "hello").lifetime, Lifetime::runtime);
}

TEST_F(RegistryTest, AProjectInBothPlacesIsListedOnceAndTheInstalledOneCounts) {
    // As a crash between writing the new place and removing the old one would leave it.
    write_registration(paths_, installed(true), "installed\n");
    make_directory(root_.path() / "run" / "projects" / "hello", 0755);
    write_file_atomic(root_.path() / "run" / "projects" / "hello" / "registration.json",
                      registration_to_json(sample()));
    EXPECT_EQ(registered_projects(paths_), std::vector<std::string>{"hello"});
    EXPECT_EQ(read_registration(paths_, "hello").lifetime, Lifetime::installed);
    EXPECT_EQ(snapshot_file(paths_, read_registration(paths_, "hello")),
              root_.path() / "etc" / "projects" / "hello" / "holos.yaml");
    remove_registration(paths_, "hello");
    EXPECT_TRUE(registered_projects(paths_).empty());
}

TEST_F(RegistryTest, ARegistrationWithoutTheEnabledKeyIsNotEnabled) {
    std::string json = registration_to_json(sample());
    json.replace(json.find("\"enabled\": false"), std::string("\"enabled\": false").size(),
                 "\"unused\": 0");
    EXPECT_FALSE(registration_from_json(json, "x").enabled);
}

} // namespace
} // namespace holos
