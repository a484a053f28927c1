// Reading a unit's messages back from the journal.
#pragma once

#include "paths.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace holos {

// The last `count` messages of `unit` (its own output and the manager's messages about it)
// logged at or after `since_realtime_usec`, oldest first, each "PROCESS: MESSAGE".
std::vector<std::string> unit_journal_tail(Scope scope, const std::string& unit, size_t count,
                                           std::uint64_t since_realtime_usec);

// An instance's serial console line, sent to the journal by the console helper. It names the
// instance's unit as the object it is about, so `journalctl -u UNIT` (system manager) and
// `holosctl logs` show it among QEMU's own messages.
struct ConsoleLineOrigin {
    Scope scope = Scope::system;
    std::string project;
    std::string instance; // web-0; also the SYSLOG_IDENTIFIER
    std::string unit;     // the instance's unit
};

// Throws Error when the journal refuses the message.
void journal_console_line(const ConsoleLineOrigin& origin, std::string_view line);

} // namespace holos
