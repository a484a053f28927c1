// The matches mirror what `journalctl -u UNIT` asks for: a unit's own processes
// (_SYSTEMD_UNIT), the manager's messages about it (UNIT, trusted from PID 1 only) and
// messages root processes file about it (OBJECT_SYSTEMD_UNIT), with the USER_ variants under
// a user manager. The journal ANDs matches on different fields and ORs those on one field;
// each kind of match is a group of its own, and the groups are ORed.

#include "unit_log.hpp"

#include "error.hpp"

#include <algorithm>
#include <string_view>
#include <systemd/sd-journal.h>
#include <unistd.h>

namespace holos {
namespace {

struct UnitFields {
    const char* own;
    const char* manager;
    const char* object;
};

constexpr UnitFields kSystemFields{"_SYSTEMD_UNIT", "UNIT", "OBJECT_SYSTEMD_UNIT"};
constexpr UnitFields kUserFields{"_SYSTEMD_USER_UNIT", "USER_UNIT", "OBJECT_SYSTEMD_USER_UNIT"};

// Who may speak for a unit through the manager field: PID 1, or the calling user's manager.
std::string manager_sender(Scope scope) {
    return scope == Scope::user ? "_UID=" + std::to_string(::getuid()) : "_PID=1";
}

const UnitFields& fields_for(Scope scope) {
    return scope == Scope::user ? kUserFields : kSystemFields;
}

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

void check(int rc, const char* what) {
    if (rc < 0) {
        throw system_error(what, -rc);
    }
}

void add_match(sd_journal* journal, const std::string& match) {
    check(sd_journal_add_match(journal, match.data(), match.size()), "matching a unit");
}

// One group: NAME is any of `units`, and the sender is `sender` when one is given.
void add_group(sd_journal* journal, const char* name, const std::vector<std::string>& units,
               const std::string& sender) {
    for (const std::string& unit : units) {
        add_match(journal, std::string(name) + "=" + unit);
    }
    if (!sender.empty()) {
        add_match(journal, sender);
    }
    check(sd_journal_add_disjunction(journal), "matching a unit");
}

} // namespace

void UnitLog::Closer::operator()(sd_journal* journal) const {
    sd_journal_close(journal);
}

UnitLog::UnitLog(Scope scope, std::vector<std::string> units)
    : scope_(scope), units_(std::move(units)) {
    sd_journal* journal = nullptr;
    int flags = SD_JOURNAL_LOCAL_ONLY |
                (scope == Scope::user ? SD_JOURNAL_CURRENT_USER : SD_JOURNAL_SYSTEM);
    check(sd_journal_open(&journal, flags), "opening the journal");
    journal_.reset(journal);
    const UnitFields& names = fields_for(scope);
    add_group(journal, names.own, units_, "");
    add_group(journal, names.manager, units_, manager_sender(scope));
    add_group(journal, names.object, units_, "_UID=0");
    check(sd_journal_seek_head(journal), "reading the journal");
}

UnitLog::~UnitLog() = default;

// The cursor goes to the entry before the first one wanted, since next() steps first.
void UnitLog::start_at_last(size_t count) {
    sd_journal* journal = journal_.get();
    check(sd_journal_seek_tail(journal), "reading the journal");
    int skipped = sd_journal_previous_skip(journal, count + 1);
    check(skipped, "reading the journal");
    if (static_cast<size_t>(skipped) < count + 1) {
        check(sd_journal_seek_head(journal), "reading the journal"); // fewer than wanted
    }
}

void UnitLog::start_at(std::uint64_t realtime_usec) {
    check(sd_journal_seek_realtime_usec(journal_.get(), realtime_usec), "reading the journal");
}

std::string UnitLog::unit_of_entry() {
    const UnitFields& names = fields_for(scope_);
    for (const char* name : {names.object, names.manager, names.own}) {
        std::string unit = field(journal_.get(), name);
        if (std::find(units_.begin(), units_.end(), unit) != units_.end()) {
            return unit;
        }
    }
    return {};
}

std::optional<LogEntry> UnitLog::next() {
    sd_journal* journal = journal_.get();
    while (true) {
        int rc = sd_journal_next(journal);
        check(rc, "reading the journal");
        if (rc == 0) {
            return std::nullopt;
        }
        LogEntry entry;
        entry.unit = unit_of_entry();
        if (entry.unit.empty()) {
            continue; // matched through a field that names another unit too
        }
        sd_journal_get_realtime_usec(journal, &entry.realtime_usec);
        entry.identifier = field(journal, "SYSLOG_IDENTIFIER");
        entry.message = field(journal, "MESSAGE");
        entry.console = field(journal, "HOLOS_STREAM") == "console";
        return entry;
    }
}

int UnitLog::wait_fd() {
    int fd = sd_journal_get_fd(journal_.get());
    check(fd, "watching the journal");
    return fd;
}

bool UnitLog::changed() {
    int rc = sd_journal_process(journal_.get());
    check(rc, "watching the journal");
    return true;
}

} // namespace holos
