#include "journal.hpp"

#include "error.hpp"
#include "unit_log.hpp"

#include <optional>
#include <systemd/sd-journal.h>

namespace holos {

std::vector<std::string> unit_journal_tail(Scope scope, const std::string& unit, size_t count,
                                           std::uint64_t since_realtime_usec) {
    std::vector<std::string> lines;
    try {
        UnitLog log(scope, {unit});
        log.start_at_last(count);
        while (std::optional<LogEntry> entry = log.next()) {
            if (entry->realtime_usec >= since_realtime_usec) {
                lines.push_back((entry->identifier.empty() ? "" : entry->identifier + ": ") +
                                entry->message);
            }
        }
    } catch (const Error&) {
        // No journal to read: the caller's report simply has no log lines.
    }
    return lines;
}

} // namespace holos

namespace holos {

void journal_console_line(const ConsoleLineOrigin& origin, std::string_view line) {
    // journalctl -u matches OBJECT_SYSTEMD_UNIT only from root senders; a user manager's
    // console helper is found through its own unit and the HOLOS_INSTANCE field instead.
    const char* object = origin.scope == Scope::user ? "OBJECT_SYSTEMD_USER_UNIT=%s"
                                                     : "OBJECT_SYSTEMD_UNIT=%s";
    std::string message(line);
    int rc = sd_journal_send("MESSAGE=%s", message.c_str(), "PRIORITY=6",
                             "SYSLOG_IDENTIFIER=%s", origin.instance.c_str(),
                             "HOLOS_PROJECT=%s", origin.project.c_str(),
                             "HOLOS_INSTANCE=%s", origin.instance.c_str(),
                             "HOLOS_STREAM=console", object, origin.unit.c_str(), nullptr);
    if (rc < 0) {
        throw system_error("sending a console line to the journal", -rc);
    }
}

} // namespace holos
