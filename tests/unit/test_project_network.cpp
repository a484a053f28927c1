// The project network: IPv4 parsing, segment choice with collisions, address allocation that
// keeps addresses stable, the MACs derived from them and the /etc/hosts every guest gets.
#include "error.hpp"
#include "network_allocation.hpp"

#include <gtest/gtest.h>

#include <set>

namespace holos {
namespace {

constexpr std::uint32_t k10_10_0(std::uint32_t last) {
    return 0x0a0a0000 | last;
}

Project two_by_two() {
    Project project;
    project.name = "net";
    for (const char* name : {"db", "web"}) {
        Service service;
        service.name = name;
        service.replicas = 2;
        project.services.push_back(service);
    }
    return project;
}

// ---- IPv4 ----------------------------------------------------------------------------------

TEST(Ipv4, ParsesAndFormatsDottedQuads) {
    EXPECT_EQ(parse_ipv4("10.10.0.2"), k10_10_0(2));
    EXPECT_EQ(format_ipv4(0xc0a80a01), "192.168.10.1");
    for (const char* bad : {"", "10.10.0", "10.10.0.256", "010.1.1.1", "0x0a.0.0.1", "1.2.3.4 "}) {
        EXPECT_EQ(parse_ipv4(bad), std::nullopt) << bad;
    }
}

TEST(Ipv4, ParsesPrefixesStrictly) {
    std::optional<Ipv4Prefix> prefix = parse_ipv4_prefix("10.10.0.1/24");
    ASSERT_TRUE(prefix);
    EXPECT_EQ(prefix->address, k10_10_0(1));
    EXPECT_EQ(prefix->prefix_length, 24);
    for (const char* bad : {"10.10.0.0", "10.10.0.0/", "10.10.0.0/33", "10.10.0.0/024",
                            "10.10.0.0/2x", "/24", "10.10.0.0/-1"}) {
        EXPECT_FALSE(parse_ipv4_prefix(bad)) << bad;
    }
}

TEST(Ipv4, TellsOverlappingSubnetsApart) {
    Ipv4Subnet ten{0x0a000000, 8}, user{0x0a000200, 24}, tenten{0x0a0a0000, 24};
    EXPECT_TRUE(subnets_overlap(ten, user));
    EXPECT_TRUE(subnets_overlap(user, ten));
    EXPECT_FALSE(subnets_overlap(user, tenten));
    EXPECT_EQ(broadcast_address(tenten), k10_10_0(255));
}

// ---- segments ------------------------------------------------------------------------------

TEST(Segment, IsDerivedFromTheProjectNameInTheLocalScope) {
    Segment segment = derived_segment("net", 0);
    EXPECT_EQ(segment, derived_segment("net", 0));
    EXPECT_NE(segment, derived_segment("net", 1));
    EXPECT_NE(segment, derived_segment("other", 0));
    std::optional<std::uint32_t> group = parse_ipv4(segment.group);
    ASSERT_TRUE(group);
    EXPECT_EQ(*group >> 16, 0xefc0u) << segment.group; // 239.192.0.0/16
    EXPECT_GE(segment.port, 20000);
    EXPECT_LT(segment.port, 30000);
}

TEST(Segment, AFreeProjectGetsItsFirstCandidate) {
    EXPECT_EQ(choose_segment("net", std::nullopt, {}), derived_segment("net", 0));
}

TEST(Segment, MovesOnWhenAnotherProjectHasTheGroupOrThePort) {
    Segment first = derived_segment("net", 0);
    Segment same_group{first.group, 1};
    Segment same_port{"239.192.0.1", first.port};
    for (const Segment& other : {same_group, same_port}) {
        Segment chosen = choose_segment("net", std::nullopt, {{other}, {}});
        EXPECT_EQ(chosen, derived_segment("net", 1));
        EXPECT_NE(chosen.group, other.group);
        EXPECT_NE(chosen.port, other.port);
    }
}

TEST(Segment, MovesOnWhenASocketOnTheHostBindsThePort) {
    Segment first = derived_segment("net", 0);
    EXPECT_EQ(choose_segment("net", std::nullopt, {{}, {first.port}}), derived_segment("net", 1));
}

TEST(Segment, KeepsThePreviousSegmentEvenWhileItsOwnGuestsBindThePort) {
    Segment previous{"239.192.7.7", 23456};
    EXPECT_EQ(choose_segment("net", previous, {{}, {23456}}), previous);
}

TEST(Segment, LeavesThePreviousSegmentWhenAnotherProjectRegisteredIt) {
    Segment previous{"239.192.7.7", 23456};
    EXPECT_EQ(choose_segment("net", previous, {{previous}, {}}), derived_segment("net", 0));
}

TEST(Segment, GivesEveryProjectItsOwnSegmentWhenAllCollide) {
    // Projects registered one after another, each avoiding those before it.
    SegmentsInUse in_use;
    std::set<std::string> groups;
    std::set<std::uint16_t> ports;
    for (int i = 0; i < 50; ++i) {
        Segment chosen = choose_segment("p" + std::to_string(i), std::nullopt, in_use);
        EXPECT_TRUE(groups.insert(chosen.group).second) << chosen.group;
        EXPECT_TRUE(ports.insert(chosen.port).second) << chosen.port;
        in_use.registered.push_back(chosen);
    }
}

TEST(Segment, FailsWhenEveryCandidateIsTaken) {
    SegmentsInUse in_use;
    for (int attempt = 0; attempt < 256; ++attempt) {
        in_use.udp_ports_bound.insert(derived_segment("net", attempt).port);
    }
    EXPECT_THROW(choose_segment("net", std::nullopt, in_use), Error);
}

// ---- addresses -----------------------------------------------------------------------------

TEST(Addresses, StartAtDotTwoInFileOrder) {
    Project project = two_by_two();
    std::map<std::string, std::uint32_t> addresses = allocate_addresses(project, nullptr);
    EXPECT_EQ(addresses, (std::map<std::string, std::uint32_t>{{"db-0", k10_10_0(2)},
                                                               {"db-1", k10_10_0(3)},
                                                               {"web-0", k10_10_0(4)},
                                                               {"web-1", k10_10_0(5)}}));
}

TEST(Addresses, AreKeptWhenServicesAreAddedOrScaled) {
    Project project = two_by_two();
    ProjectNetwork previous{project.network.subnet, {}, allocate_addresses(project, nullptr)};
    Service cache;
    cache.name = "cache";
    project.services.insert(project.services.begin(), cache); // before db in the file
    project.services[1].replicas = 3;                         // db-2 is new
    std::map<std::string, std::uint32_t> addresses = allocate_addresses(project, &previous);
    EXPECT_EQ(addresses.at("db-0"), k10_10_0(2));
    EXPECT_EQ(addresses.at("web-1"), k10_10_0(5));
    EXPECT_EQ(addresses.at("cache-0"), k10_10_0(6));
    EXPECT_EQ(addresses.at("db-2"), k10_10_0(7));
}

TEST(Addresses, ReuseTheLowestFreedAddress) {
    Project project = two_by_two();
    ProjectNetwork previous{project.network.subnet, {}, allocate_addresses(project, nullptr)};
    project.services[0].replicas = 1; // db-1 (.3) goes away
    project.services[1].replicas = 3; // web-2 comes
    std::map<std::string, std::uint32_t> addresses = allocate_addresses(project, &previous);
    EXPECT_EQ(addresses.size(), 4u);
    EXPECT_EQ(addresses.at("web-2"), k10_10_0(3));
}

TEST(Addresses, StartAfreshInANewSubnet) {
    Project project = two_by_two();
    ProjectNetwork previous{project.network.subnet, {}, allocate_addresses(project, nullptr)};
    project.network.subnet = {0xc0a80000, 28}; // 192.168.0.0/28
    std::map<std::string, std::uint32_t> addresses = allocate_addresses(project, &previous);
    EXPECT_EQ(format_ipv4(addresses.at("db-0")), "192.168.0.2");
    EXPECT_EQ(format_ipv4(addresses.at("web-1")), "192.168.0.5");
}

TEST(Addresses, DropAKeptAddressThatIsNoLongerUsable) {
    Project project = two_by_two();
    ProjectNetwork previous{project.network.subnet,
                            {},
                            {{"db-0", k10_10_0(1)},
                             {"db-1", k10_10_0(255)},
                             {"web-0", k10_10_0(9)},
                             {"web-1", k10_10_0(9)}}};
    std::map<std::string, std::uint32_t> addresses = allocate_addresses(project, &previous);
    EXPECT_EQ(addresses.at("db-0"), k10_10_0(2));  // .1 is not given out
    EXPECT_EQ(addresses.at("db-1"), k10_10_0(3));  // nor the broadcast address
    EXPECT_EQ(addresses.at("web-0"), k10_10_0(9)); // the first holder keeps a duplicate
    EXPECT_EQ(addresses.at("web-1"), k10_10_0(4));
}

TEST(Addresses, FillASubnetExactlyAndNoFurther) {
    Project project = two_by_two();
    project.network.subnet = {0x0a0a0000, 30}; // one address: .2
    project.services.resize(1);
    project.services[0].replicas = 1;
    EXPECT_EQ(allocate_addresses(project, nullptr).at("db-0"), k10_10_0(2));
    project.services[0].replicas = 2;
    EXPECT_THROW(allocate_addresses(project, nullptr), Error);
    EXPECT_EQ(address_capacity({0x0a0a0000, 24}), 253u);
    EXPECT_EQ(address_capacity({0x0a0a0000, 30}), 1u);
}

TEST(AllocateNetwork, CombinesTheSubnetTheSegmentAndTheAddresses) {
    Project project = two_by_two();
    ProjectNetwork network = allocate_network(project, nullptr, {});
    EXPECT_EQ(network.subnet, project.network.subnet);
    EXPECT_EQ(network.segment, derived_segment("net", 0));
    EXPECT_EQ(network.addresses.size(), 4u);
}

// ---- MACs, hosts, JSON ---------------------------------------------------------------------

TEST(SegmentMac, CarriesTheAddressAndNeverQemusUplinkPrefix) {
    std::string mac = segment_mac("net", k10_10_0(4));
    EXPECT_EQ(mac.substr(0, 6), "52:54:");
    EXPECT_EQ(mac.substr(8), ":0a:00:04");
    std::set<std::string> project_bytes;
    for (int i = 0; i < 2000; ++i) {
        std::string other = segment_mac("p" + std::to_string(i), k10_10_0(4));
        EXPECT_NE(other.substr(6, 2), "00") << other;
        project_bytes.insert(other.substr(6, 2));
    }
    EXPECT_EQ(project_bytes.size(), 255u);
}

TEST(HostsFile, NamesEveryInstanceAndItsServiceAfterLocalhost) {
    Project project = two_by_two();
    ProjectNetwork network = allocate_network(project, nullptr, {});
    std::vector<std::string> lines = hosts_lines(project, network);
    ASSERT_EQ(lines.size(), 9u);
    EXPECT_EQ(lines[0].substr(0, 1), "#");
    EXPECT_EQ(lines[1], "127.0.0.1 localhost");
    EXPECT_EQ(lines[2], "::1 localhost ip6-localhost ip6-loopback");
    EXPECT_EQ(std::vector<std::string>(lines.begin() + 5, lines.end()),
              (std::vector<std::string>{"10.10.0.2 db-0 db", "10.10.0.3 db-1 db",
                                        "10.10.0.4 web-0 web", "10.10.0.5 web-1 web"}));
}

TEST(HostsFile, FollowsFileOrderNotAddressOrder) {
    Project project = two_by_two();
    ProjectNetwork network{project.network.subnet,
                           {},
                           {{"db-0", k10_10_0(9)},
                            {"db-1", k10_10_0(8)},
                            {"web-0", k10_10_0(3)},
                            {"web-1", k10_10_0(2)}}};
    std::vector<std::string> lines = hosts_lines(project, network);
    EXPECT_EQ(lines[5], "10.10.0.9 db-0 db");
    EXPECT_EQ(lines[8], "10.10.0.2 web-1 web");
}

TEST(NetworkJson, RoundTrips) {
    Project project = two_by_two();
    ProjectNetwork network = allocate_network(project, nullptr, {});
    nlohmann::json json = network_to_json(network);
    EXPECT_EQ(json["subnet"], "10.10.0.0/24");
    EXPECT_EQ(json["addresses"]["web-1"], "10.10.0.5");
    ProjectNetwork back = network_from_json(json);
    EXPECT_EQ(back.subnet, network.subnet);
    EXPECT_EQ(back.segment, network.segment);
    EXPECT_EQ(back.addresses, network.addresses);
}

TEST(NetworkJson, RejectsAddressesThatAreNot) {
    nlohmann::json json = network_to_json(allocate_network(two_by_two(), nullptr, {}));
    json["addresses"]["db-0"] = "10.10.0";
    EXPECT_THROW(network_from_json(json), Error);
    json = network_to_json(allocate_network(two_by_two(), nullptr, {}));
    json["group"] = "somewhere";
    EXPECT_THROW(network_from_json(json), Error);
}

} // namespace
} // namespace holos
