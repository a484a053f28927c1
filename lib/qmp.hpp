// A minimal QMP (QEMU Machine Protocol) client over a unix socket.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace holos {

class QmpClient {
public:
    // Connects, reads the greeting and negotiates capabilities. Throws Error.
    QmpClient(const std::filesystem::path& socket, std::chrono::milliseconds timeout);
    ~QmpClient();
    QmpClient(const QmpClient&) = delete;
    QmpClient& operator=(const QmpClient&) = delete;

    // Sends one command and returns its "return" member; asynchronous events received
    // meanwhile are skipped. A QMP error reply throws Error with QEMU's description.
    nlohmann::json execute(const std::string& command,
                           const nlohmann::json& arguments = nlohmann::json::object());

    // Waits until QEMU closes the connection (it exits); false on timeout.
    bool wait_closed(std::chrono::milliseconds timeout);

private:
    int fd_ = -1;
    std::string buffer_;
    std::chrono::milliseconds timeout_;
};

// Presses the guest's power button and waits up to `grace` for QEMU to exit. The press is
// repeated every few seconds, because a guest that has not started its ACPI handling yet
// drops it. Returns true once QEMU has exited; false when the grace period ran out or
// the socket could not be reached (the caller then falls back to signals).
bool power_down(const std::filesystem::path& socket, std::chrono::milliseconds grace);

// The same with the interval between presses given explicitly (the default is 5 s).
bool power_down(const std::filesystem::path& socket, std::chrono::milliseconds grace,
                std::chrono::milliseconds repress_interval);

} // namespace holos
