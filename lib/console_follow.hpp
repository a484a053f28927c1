// Following an instance's console log (the file QEMU's serial chardev appends to) as lines,
// for the helper that copies the console into the journal.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace holos {

// How often the log is looked at: often enough that `holosctl logs -f` shows a line well
// within a second, rarely enough that an idle VM costs nothing measurable.
inline constexpr std::chrono::milliseconds kConsoleFollowInterval{200};

// Hands each line appended to `path` to `emit`, starting at the file's end as found now
// (at its start when it does not exist yet, as before a first boot), until `stop_fd` is
// readable; then it reads what is left and hands over the unfinished last line too. A file
// that shrinks or is replaced is read again from its start. Throws Error.
void follow_console_log(const std::filesystem::path& path, int stop_fd,
                        const std::function<void(const std::string&)>& emit);

} // namespace holos
