// inet_pton does the strict parsing: it rejects the legacy forms ("10.1", "010.0.0.1",
// "0x0a.0.0.1") that inet_aton would take, so what the user wrote is what they get.
#include "ipv4.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <fmt/format.h>

namespace holos {

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
    std::string copy(text);
    in_addr address{};
    if (::inet_pton(AF_INET, copy.c_str(), &address) != 1) {
        return std::nullopt;
    }
    return ntohl(address.s_addr);
}

std::string format_ipv4(std::uint32_t address) {
    return fmt::format("{}.{}.{}.{}", address >> 24, (address >> 16) & 0xff, (address >> 8) & 0xff,
                       address & 0xff);
}

std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view text) {
    std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    std::optional<std::uint32_t> address = parse_ipv4(text.substr(0, slash));
    std::string_view length_text = text.substr(slash + 1);
    int length = -1;
    auto [end, ec] =
        std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
    bool digits_only = ec == std::errc() && end == length_text.data() + length_text.size() &&
                       !length_text.empty() && (length_text.size() == 1 || length_text[0] != '0');
    if (!address || !digits_only || length < 0 || length > 32) {
        return std::nullopt;
    }
    return Ipv4Prefix{*address, length};
}

std::uint32_t subnet_mask(int prefix_length) {
    return prefix_length == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix_length);
}

std::string format_subnet(const Ipv4Subnet& subnet) {
    return format_ipv4(subnet.network) + "/" + std::to_string(subnet.prefix_length);
}

bool subnet_contains(const Ipv4Subnet& subnet, std::uint32_t address) {
    return (address & subnet_mask(subnet.prefix_length)) == subnet.network;
}

bool subnets_overlap(const Ipv4Subnet& a, const Ipv4Subnet& b) {
    const Ipv4Subnet& wider = a.prefix_length <= b.prefix_length ? a : b;
    const Ipv4Subnet& narrower = a.prefix_length <= b.prefix_length ? b : a;
    return subnet_contains(wider, narrower.network);
}

std::uint32_t broadcast_address(const Ipv4Subnet& subnet) {
    return subnet.network | ~subnet_mask(subnet.prefix_length);
}

} // namespace holos
