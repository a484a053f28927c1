#include "shared_library.hpp"

namespace holos {

void* open_shared_library(const char* soname, const char* package, const char* purpose) {
    void* library = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        throw Error(std::string(purpose) + " needs " + soname + " (Debian: " + package +
                    "): " + ::dlerror());
    }
    return library;
}

} // namespace holos
