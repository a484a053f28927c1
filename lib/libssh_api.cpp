#include "libssh_api.hpp"

namespace holos {
namespace {

LibSsh open_libssh() {
    const char* soname = "libssh.so.4";
    void* library = open_shared_library(soname, "libssh-4", "speaking SSH to a guest");
    LibSsh api;
    HOLOS_LIBSSH_FUNCTIONS(HOLOS_BIND_FUNCTION)
    return api;
}

} // namespace

const LibSsh& libssh() {
    static const LibSsh api = open_libssh();
    return api;
}

} // namespace holos
