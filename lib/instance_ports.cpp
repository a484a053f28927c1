#include "instance_ports.hpp"

namespace holos {

std::string port_key(const PortMapping& port) {
    return std::to_string(port.guest_port) + "/" + port.protocol;
}

std::optional<std::uint16_t> host_port(const PortMapping& port, int index,
                                       const AllocatedPorts& allocated) {
    if (port.host_port != 0) {
        return static_cast<std::uint16_t>(port.host_port + index);
    }
    auto found = allocated.find(port_key(port));
    if (found == allocated.end()) {
        return std::nullopt;
    }
    return found->second;
}

} // namespace holos
