// Reading the journal entries of a set of units in time order, for `holosctl logs`: what each
// unit's processes wrote, what the service manager said about it, and what was filed about it
// by another process (the console helper's copy of the serial console).
#pragma once

#include "paths.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sd_journal;

namespace holos {

struct LogEntry {
    std::uint64_t realtime_usec = 0;
    std::string unit;       // which of the requested units it belongs to
    std::string identifier; // SYSLOG_IDENTIFIER: "qemu-system-x86_64", "systemd", "web-0"
    std::string message;
    bool console = false;   // a line of the guest's serial console
};

class UnitLog {
public:
    // Opens the journal of `scope`, matching every unit in `units`. Throws Error.
    UnitLog(Scope scope, std::vector<std::string> units);
    ~UnitLog();
    UnitLog(const UnitLog&) = delete;
    UnitLog& operator=(const UnitLog&) = delete;

    // Where next() starts: after the last `count` entries, or at the first entry at or after
    // `realtime_usec`, or (neither called) at the oldest entry.
    void start_at_last(size_t count);
    void start_at(std::uint64_t realtime_usec);

    // The next entry, or nothing at the end of what is written so far.
    std::optional<LogEntry> next();

    // Readable when new entries may have arrived; call changed() then.
    int wait_fd();
    // Acknowledges a wake-up of wait_fd(); false when the journal vanished.
    bool changed();

private:
    std::string unit_of_entry();

    struct Closer {
        void operator()(sd_journal* journal) const;
    };
    std::unique_ptr<sd_journal, Closer> journal_;
    Scope scope_;
    std::vector<std::string> units_;
};

} // namespace holos
