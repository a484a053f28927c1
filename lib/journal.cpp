#include "journal.hpp"

#include "error.hpp"

#include <memory>
#include <string_view>
#include <systemd/sd-journal.h>

namespace holos {
namespace {

struct JournalCloser {
    void operator()(sd_journal* journal) const { sd_journal_close(journal); }
};
using Journal = std::unique_ptr<sd_journal, JournalCloser>;

std::string field(sd_journal* journal, const char* name) {
    const void* data = nullptr;
    size_t length = 0;
    if (sd_journal_get_data(journal, name, &data, &length) < 0) {
        return {};
    }
    std::string_view text(static_cast<const char*>(data), length);
    size_t eq = text.find('=');
    return std::string(eq == std::string_view::npos ? text : text.substr(eq + 1));
}

Journal open_journal(Scope scope) {
    sd_journal* journal = nullptr;
    int flags = SD_JOURNAL_LOCAL_ONLY |
                (scope == Scope::user ? SD_JOURNAL_CURRENT_USER : SD_JOURNAL_SYSTEM);
    if (sd_journal_open(&journal, flags) < 0) {
        return nullptr;
    }
    return Journal(journal);
}

void match_unit(sd_journal* journal, Scope scope, const std::string& unit) {
    std::string own = (scope == Scope::user ? "_SYSTEMD_USER_UNIT=" : "_SYSTEMD_UNIT=") + unit;
    std::string about = (scope == Scope::user ? "USER_UNIT=" : "UNIT=") + unit;
    sd_journal_add_match(journal, own.c_str(), 0);
    sd_journal_add_disjunction(journal);
    sd_journal_add_match(journal, about.c_str(), 0);
}

} // namespace

std::vector<std::string> unit_journal_tail(Scope scope, const std::string& unit, size_t count,
                                           std::uint64_t since_realtime_usec) {
    Journal journal = open_journal(scope);
    if (!journal) {
        return {};
    }
    match_unit(journal.get(), scope, unit);
    std::vector<std::string> lines;
    sd_journal_seek_tail(journal.get());
    while (lines.size() < count && sd_journal_previous(journal.get()) > 0) {
        std::uint64_t when = 0;
        sd_journal_get_realtime_usec(journal.get(), &when);
        if (when < since_realtime_usec) {
            break;
        }
        std::string process = field(journal.get(), "SYSLOG_IDENTIFIER");
        lines.push_back((process.empty() ? "" : process + ": ") +
                        field(journal.get(), "MESSAGE"));
    }
    return {lines.rbegin(), lines.rend()};
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
