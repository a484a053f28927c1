#include "dockerfile_reprovision.hpp"

#include "atomic_file.hpp"
#include "error.hpp"

namespace holos {

BuildState build_state(const InstanceFiles& files, const std::string& digest) {
    std::error_code ec;
    if (!std::filesystem::exists(files.overlay, ec)) {
        return BuildState::none;
    }
    std::string recorded;
    try {
        recorded = read_file(files.build_digest);
    } catch (const Error&) {
        return BuildState::changed;
    }
    return recorded == digest + "\n" ? BuildState::current : BuildState::changed;
}

std::optional<DockerfileSeed> prepare_build(const Service& service, const InstanceFiles& files,
                                            std::vector<std::string>& actions) {
    if (service.dockerfile.empty()) {
        return std::nullopt;
    }
    DockerfileSeed seed = dockerfile_seed(service);
    if (build_state(files, seed.digest) == BuildState::changed) {
        std::error_code ec;
        std::filesystem::remove(files.overlay, ec);
        if (ec) {
            throw Error("removing overlay " + files.overlay.string() + ": " + ec.message());
        }
        // A fresh disk makes new SSH host keys: forget the one holosctl pinned (guest_ssh.cpp).
        std::filesystem::remove(files.overlay.parent_path() / "ssh_host_key", ec);
        actions.push_back("the Dockerfile or a file it copies changed (build " + seed.digest +
                          "): re-provisioning on a fresh overlay");
    }
    return seed;
}

void record_build(const InstanceFiles& files, const std::optional<DockerfileSeed>& seed) {
    if (seed) {
        write_file_atomic(files.build_digest, seed->digest + "\n", 0600);
        return;
    }
    std::error_code ec;
    std::filesystem::remove(files.build_digest, ec);
}

} // namespace holos
