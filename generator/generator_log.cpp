#include "generator_log.hpp"

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <syslog.h>
#include <unistd.h>

namespace holos {
namespace {

// SYSTEMD_LOG_LEVEL is how systemd passes its own log level down to generators.
int level_from_environment() {
    const char* level = std::getenv("SYSTEMD_LOG_LEVEL");
    if (level == nullptr) {
        return LOG_INFO;
    }
    constexpr std::string_view names[] = {"emerg", "alert", "crit", "err",
                                          "warning", "notice", "info", "debug"};
    for (int i = 0; i < 8; ++i) {
        if (names[i] == level) {
            return i;
        }
    }
    int numeric = std::atoi(level);
    return numeric >= 0 && numeric <= 7 ? numeric : LOG_INFO;
}

} // namespace

GeneratorLog::GeneratorLog(bool to_kmsg) : max_priority_(level_from_environment()) {
    if (to_kmsg) {
        kmsg_fd_ = ::open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
    }
}

GeneratorLog::~GeneratorLog() {
    if (kmsg_fd_ >= 0) {
        ::close(kmsg_fd_);
    }
}

void GeneratorLog::error(const std::string& message) {
    write(LOG_ERR, message);
}

void GeneratorLog::info(const std::string& message) {
    write(LOG_INFO, message);
}

void GeneratorLog::write(int priority, const std::string& message) {
    if (priority > max_priority_) {
        return;
    }
    std::string line = "holos-generator[" + std::to_string(::getpid()) + "]: " + message + "\n";
    if (kmsg_fd_ >= 0) {
        std::string record = "<" + std::to_string(priority) + ">" + line;
        if (::write(kmsg_fd_, record.data(), record.size()) >= 0) {
            return;
        }
    }
    [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
}

} // namespace holos
