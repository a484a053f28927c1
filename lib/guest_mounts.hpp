// Mounting a service's volumes inside the guest. cloud-init 22.4 runs bootcmd before every
// other module that touches files (write_files comes next; disk_setup and mounts only after
// it, and packages and runcmd much later), so holos puts one bootcmd entry per volume first:
// it waits for the device, formats a named volume the first time (when it holds no
// filesystem), adds an fstab line once and mounts it. Later boots mount it from fstab.
#pragma once

#include "project.hpp"

#include <string>
#include <vector>

namespace holos {

// The bootcmd entries that mount the service's volumes, in the order of its list.
std::vector<Command> mount_commands(const Service& service);

// A path as fstab writes it: space, tab, newline and backslash as octal escapes.
std::string fstab_escape(const std::string& path);

} // namespace holos
