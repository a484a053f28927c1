// Registering instances with systemd-machined (org.freedesktop.machine1 on the system bus),
// so `machinectl list` shows every VM as a machine of class "vm". The instance's own unit
// stays the machine's unit (RegisterMachine, not CreateMachine): machined moves nothing and
// creates no scope, it only records that QEMU's process is the machine's leader.
#pragma once

#include <string>
#include <sys/types.h>

namespace holos {

// "hello-web-0": the project and instance, as QEMU's -name; a valid hostname, as machined
// wants, since both parts are DNS labels.
std::string machine_name(const std::string& project, const std::string& instance);

// Registers `leader` (QEMU) as machine `name`. Throws Error (no bus, no machined, refused).
void register_machine(const std::string& name, pid_t leader);

// Forgets machine `name`; one machined no longer knows is not an error. Throws Error.
void unregister_machine(const std::string& name);

} // namespace holos
