// Reading a unit's messages back from the journal.
#pragma once

#include "paths.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace holos {

// The last `count` messages of `unit` (its own output and the manager's messages about it)
// logged at or after `since_realtime_usec`, oldest first, each "PROCESS: MESSAGE".
std::vector<std::string> unit_journal_tail(Scope scope, const std::string& unit, size_t count,
                                           std::uint64_t since_realtime_usec);

} // namespace holos
