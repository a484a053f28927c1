#include "error.hpp"

#include <cstring>

namespace holos {

Error system_error(const std::string& context, int errnum) {
    return Error(context + ": " + std::strerror(errnum));
}

} // namespace holos
