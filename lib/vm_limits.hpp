// The sizes a holos VM may have, shared by the parser and by libvirt import, so that an
// imported domain always gives a file that validates.
#pragma once

namespace holos {

inline constexpr long long kMaxVcpu = 64;
inline constexpr long long kMinMemoryMiB = 64; // a small appliance or firmware-only VM
inline constexpr long long kMaxMemoryMiB = 1048576; // 1 TiB

} // namespace holos
