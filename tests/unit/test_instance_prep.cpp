// Preparing an instance whose overlay exists: the seed is rewritten every time, and the
// guest's pinned SSH host key is forgotten exactly when the seed's instance-id changes
// (cloud-init then provisions the guest again and replaces its host keys).
#include "instance_prep.hpp"

#include "atomic_file.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

class InstancePrepTest : public ::testing::Test {
protected:
    InstancePrepTest() {
        project_.name = "net";
        Service web;
        web.name = "web";
        web.image = "debian:12";
        project_.services.push_back(web);
        files_ = instance_files(paths_, "net", "web-0");
        std::filesystem::create_directories(files_.overlay.parent_path());
        write_file_atomic(files_.overlay, "not used: it exists", 0600);
    }

    std::vector<std::string> prepare() {
        return prepare_instance({paths_, project_, project_.services[0], 0, "ssh-ed25519 K",
                                 "/bin/false", &network_});
    }

    void pin() { write_file_atomic(files_.pinned_host_key, "ssh-ed25519 HOSTKEY\n", 0644); }

    testing_support::TempDir root_;
    Paths paths_{Scope::system, root_.path() / "etc", root_.path() / "run", root_.path() / "lib"};
    Project project_;
    ProjectNetwork network_{{0x0a0a0000, 24}, {"239.192.3.4", 21000}, {{"web-0", 0x0a0a0002}}};
    InstanceFiles files_;
};

TEST_F(InstancePrepTest, KeepsThePinnedKeyWhileTheProvisioningStaysTheSame) {
    pin();
    prepare();
    EXPECT_TRUE(std::filesystem::exists(files_.seed));
    project_.services[0].vm.memory_mib = 4096; // not a provisioning input
    prepare();
    EXPECT_TRUE(std::filesystem::exists(files_.pinned_host_key));
}

TEST_F(InstancePrepTest, KeepsThePinnedKeyWhenOnlyPeersChange) {
    prepare();
    pin();
    project_.services[0].replicas = 2;
    network_.addresses["web-1"] = 0x0a0a0003;
    prepare();
    EXPECT_TRUE(std::filesystem::exists(files_.pinned_host_key));
}

TEST_F(InstancePrepTest, ForgetsThePinnedKeyWhenTheGuestIsProvisionedAgain) {
    prepare();
    pin();
    network_.addresses["web-0"] = 0x0a0a0009;
    std::vector<std::string> actions = prepare();
    EXPECT_FALSE(std::filesystem::exists(files_.pinned_host_key));
    EXPECT_NE(actions.back().find("forgot its pinned SSH host key"), std::string::npos);
    pin();
    prepare();
    EXPECT_TRUE(std::filesystem::exists(files_.pinned_host_key)) << "only once per change";
}

} // namespace
} // namespace holos
