// Libraries that only some commands use, opened the first time one is called instead of
// linked. Linked, they and the libraries they bring (OpenSSL, Kerberos, TLS) were loaded by
// every start of holosctl and of holos-instance, and loading them took more than half of that
// start-up: a cost every verb and every instance start paid, most of them for a library they
// never called. `holosctl ps` in bench/ measures that start-up.
//
// Each library has a table of function pointers whose types come from its own header,
// declared with an X-macro list of the functions holos calls:
//
//   #define HOLOS_LIBFOO_FUNCTIONS(X) X(foo_open) X(foo_close)
//   struct LibFoo {
//       HOLOS_LIBFOO_FUNCTIONS(HOLOS_DECLARE_FUNCTION)
//   };
//   ... library = open_shared_library("libfoo.so.1", "libfoo1", "reading foo files");
//   ... HOLOS_LIBFOO_FUNCTIONS(HOLOS_BIND_FUNCTION)    (with `library` and `api` in scope)
#pragma once

#include "error.hpp"

#include <dlfcn.h>
#include <string>

namespace holos {

// Opens `soname` for the rest of the process (the handles it hands out live that long).
// Throws Error saying that `purpose` needs it and which Debian `package` has it.
void* open_shared_library(const char* soname, const char* package, const char* purpose);

// Sets `function` to the address of `name` in `library`; throws Error when it lacks it.
template <typename Function>
void bind_function(void* library, const char* soname, const char* name, Function& function) {
    function = reinterpret_cast<Function>(::dlsym(library, name));
    if (function == nullptr) {
        throw Error(std::string(soname) + " lacks " + name + "; it is older than holos needs");
    }
}

} // namespace holos

// A member `name` of the type of the function `name` the library's header declares.
#define HOLOS_DECLARE_FUNCTION(name) decltype(&::name) name = nullptr;
// Binds member `name` of `api` from `library`, whose soname is `soname`.
#define HOLOS_BIND_FUNCTION(name) ::holos::bind_function(library, soname, #name, api.name);
