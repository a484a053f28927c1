// The one exception type lib/ throws for runtime failures. Messages put context first and
// the cause last ("writing seed /x/seed.iso: No space left on device"), so a caller can
// prefix its own context and print the result on one line.
#pragma once

#include <stdexcept>
#include <string>

namespace holos {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Error for a failed system call: "<context>: <strerror(errnum)>".
Error system_error(const std::string& context, int errnum);

} // namespace holos
