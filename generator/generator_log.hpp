// Generator messages go to the kernel log: at generator time journald may not run yet, and
// systemd does not collect a generator's stderr everywhere. Without /dev/kmsg (containers),
// stderr is used.
#pragma once

#include <string>

namespace holos {

class GeneratorLog {
public:
    explicit GeneratorLog(bool to_kmsg);
    ~GeneratorLog();
    GeneratorLog(const GeneratorLog&) = delete;
    GeneratorLog& operator=(const GeneratorLog&) = delete;

    void error(const std::string& message);
    void info(const std::string& message);

private:
    void write(int priority, const std::string& message);

    int kmsg_fd_ = -1;
    int max_priority_;
};

} // namespace holos
