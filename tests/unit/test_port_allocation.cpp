#include "port_allocation.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

Project project_with_ports() {
    Project project;
    project.name = "p";
    Service web;
    web.name = "web";
    web.replicas = 2;
    web.ports = {{"127.0.0.1", 8080, 80, "tcp"}, {"127.0.0.1", 0, 9000, "tcp"}};
    project.services.push_back(web);
    return project;
}

TEST(FixedHostPorts, CoverEveryReplicaAndSkipAllocatedMappings) {
    EXPECT_EQ(fixed_host_ports(project_with_ports()), (std::set<std::uint16_t>{8080, 8081}));
}

TEST(AllocatePorts, GivesEachInstanceSshAndItsUnfixedPortsAvoidingThoseInUse) {
    Registration registration;
    allocate_ports(project_with_ports(), Registration{}, {8080, 8081}, registration);
    ASSERT_EQ(registration.ssh_ports.size(), 2u);
    ASSERT_EQ(registration.allocated_ports.size(), 2u);
    std::set<std::uint16_t> all = registered_host_ports(registration);
    EXPECT_EQ(all.size(), 4u) << "every allocated port is distinct";
    EXPECT_FALSE(all.contains(8080));
    EXPECT_TRUE(registration.allocated_ports.at("web-1").contains("9000/tcp"));
}

TEST(AllocatePorts, KeepsThePortsOfThePreviousRegistration) {
    Registration previous;
    previous.ssh_ports = {{"web-0", 40001}};
    previous.allocated_ports = {{"web-0", {{"9000/tcp", 40002}}}};
    Registration registration;
    allocate_ports(project_with_ports(), previous, {}, registration);
    EXPECT_EQ(registration.ssh_ports.at("web-0"), 40001);
    EXPECT_EQ(registration.allocated_ports.at("web-0").at("9000/tcp"), 40002);
    EXPECT_NE(registration.ssh_ports.at("web-1"), 40001);
}

} // namespace
} // namespace holos
