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
    EXPECT_EQ(read_file(paths_.registration_dir("hello") / "holos.yaml"), "name: hello\n");
    EXPECT_EQ(read_registration(paths_, "hello").ssh_ports.at("web-1"), 40023);
    EXPECT_EQ(registered_projects(paths_), std::vector<std::string>{"hello"});
}

TEST_F(RegistryTest, ReplacingKeepsOneDirectoryAndNoStagingLeftovers) {
    write_registration(paths_, sample(), "first\n");
    write_registration(paths_, sample(), "second\n");
    EXPECT_EQ(read_file(paths_.registration_dir("hello") / "holos.yaml"), "second\n");
    int entries = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(paths_.projects_dir())) {
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

} // namespace
} // namespace holos
