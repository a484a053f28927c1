#include "port_allocation.hpp"

#include "host_ports.hpp"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

TEST(AllocatePorts, ReplacesAKeptPortThatTheFileNowFixesOrAnotherProjectHas) {
    Registration previous;
    previous.ssh_ports = {{"web-0", 8081}, {"web-1", 40005}};
    previous.allocated_ports = {{"web-0", {{"9000/tcp", 40006}}}};
    Registration registration;
    allocate_ports(project_with_ports(), previous, {8080, 8081, 40006}, registration);
    EXPECT_NE(registration.ssh_ports.at("web-0"), 8081) << "web-1's fixed 8080+1";
    EXPECT_EQ(registration.ssh_ports.at("web-1"), 40005);
    EXPECT_NE(registration.allocated_ports.at("web-0").at("9000/tcp"), 40006);
}

TEST(AllocatePorts, GivesAPortKeptTwiceToTheFirstInstanceOnly) {
    Registration previous;
    previous.ssh_ports = {{"web-0", 40001}, {"web-1", 40001}};
    Registration registration;
    allocate_ports(project_with_ports(), previous, {}, registration);
    EXPECT_EQ(registration.ssh_ports.at("web-0"), 40001);
    EXPECT_NE(registration.ssh_ports.at("web-1"), 40001);
}

TEST(UdpPortsInTable, ReadsTheLocalPortOfEverySocket) {
    const char* table =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
        "  211: 0A5A1EEF:5AF3 00000000:0000 07 00000000:00000000 00:00000000 00000000     0\n"
        "  987: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0\n";
    EXPECT_EQ(udp_ports_in_table(table), (std::set<std::uint16_t>{0x5af3, 68}));
    const char* table6 =
        "  sl  local_address                         remote_address                        st\n"
        "   12: 00000000000000000000000000000000:14E9 00000000000000000000000000000000:0000 07\n";
    EXPECT_EQ(udp_ports_in_table(table6), (std::set<std::uint16_t>{5353}));
    EXPECT_TRUE(udp_ports_in_table("").empty());
}

TEST(BoundUdpPorts, SeesASocketThisProcessBinds) {
    std::set<std::uint16_t> none;
    std::uint16_t port = pick_free_port("udp", "127.0.0.1", none);
    // pick_free_port closes its socket, so bind one that stays open for the check.
    int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_TRUE(bound_udp_ports().contains(port));
    ::close(fd);
}

} // namespace
} // namespace holos
