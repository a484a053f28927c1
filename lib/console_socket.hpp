// Connecting to an instance's serial console: the unix socket a QEMU socket chardev
// (server=on, wait=off) listens on.
//
// QEMU serves one client at a time. While one is attached it stops accepting, but the kernel
// still completes a second client's connect() into the listen backlog, where it waits,
// unaccepted, until the first client leaves; whatever it sent meanwhile then reaches the
// guest. A connect() that succeeded therefore proves nothing: connect_console waits until
// QEMU has accepted this very connection, and reports the console busy as soon as it sees
// QEMU holding another client's connection instead.
#pragma once

#include "unique_fd.hpp"

#include <filesystem>

namespace holos {

enum class ConsoleStatus {
    attached,      // QEMU accepted the connection
    busy,          // another client is attached; nothing was sent
    not_listening, // no socket, or nobody listening on it (QEMU is not running)
};

struct ConsoleConnection {
    ConsoleStatus status = ConsoleStatus::not_listening;
    UniqueFd socket; // the connected socket when attached
};

// Connects to the console socket at `path`. Throws Error when connecting fails otherwise or
// QEMU neither accepts nor serves another client within a few seconds.
ConsoleConnection connect_console(const std::filesystem::path& path);

// How many connections accepted from the listener at `path` are open, as /proc/net/unix lists
// them (connections still waiting in the backlog are not counted).
int accepted_connections(const std::filesystem::path& path);

} // namespace holos
