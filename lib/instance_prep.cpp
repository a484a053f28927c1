#include "instance_prep.hpp"

#include "atomic_file.hpp"
#include "cloud_init.hpp"
#include "firmware.hpp"
#include "pci_devices.hpp"
#include "dockerfile_reprovision.hpp"
#include "error.hpp"
#include "image_inspect.hpp"
#include "image_store.hpp"
#include "instance_owner.hpp"
#include "process.hpp"
#include "seed_iso.hpp"

#include <cerrno>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

namespace holos {
namespace {

std::uint64_t virtual_size(const std::string& qemu_img, const ResolvedImage& base) {
    return inspect_image(qemu_img, base.path, base.format).virtual_size;
}

// The overlay's size argument: none keeps the base image's size.
std::optional<std::string> size_argument(const PrepareRequest& request,
                                         const ResolvedImage& base) {
    const std::optional<std::uint64_t>& wanted = request.service.vm.disk_size_bytes;
    if (!wanted) {
        return std::nullopt;
    }
    check_disk_size(request.service, base, request.qemu_img_binary);
    return std::to_string(*wanted);
}

// qemu-img writes the overlay to a temporary name first: a crash midway must not leave
// something that looks like a finished overlay.
void create_overlay(const PrepareRequest& request, const ResolvedImage& base,
                    const std::filesystem::path& overlay) {
    std::filesystem::path temp = overlay.string() + ".tmp";
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    std::vector<std::string> argv = {request.qemu_img_binary, "create", "-q", "-f", "qcow2",
                                     "-F", base.format, "-b", base.path.string(), temp.string()};
    if (std::optional<std::string> size = size_argument(request, base)) {
        argv.push_back(*size);
    }
    CommandResult result = run_command(argv);
    if (result.exit_code != 0) {
        std::filesystem::remove(temp, ec);
        throw Error("creating overlay " + overlay.string() + ": " + result.output);
    }
    std::filesystem::rename(temp, overlay, ec);
    if (ec) {
        throw Error("creating overlay " + overlay.string() + ": " + ec.message());
    }
}

// A new instance-id makes cloud-init provision the guest again, which replaces its SSH host
// keys, so the key pinned at the first connection would lock holosctl out.
bool forget_host_key_if_reprovisioned(const InstanceFiles& files, const std::string& id) {
    std::error_code ec;
    std::string previous =
        std::filesystem::exists(files.seeded_id, ec) ? read_file(files.seeded_id) : id + "\n";
    write_file_atomic(files.seeded_id, id + "\n", 0644);
    if (previous == id + "\n") {
        return false;
    }
    return std::filesystem::remove(files.pinned_host_key, ec);
}

// Under the system manager QEMU opens the base image as the instance's unprivileged user.
void check_image_access(const ResolvedImage& base) {
    try {
        check_readable_by_others(base.path);
    } catch (const Error& e) {
        throw Error("image " + base.path.string() +
                    " cannot be opened by the instance's unprivileged user (" + e.what() +
                    "); make it readable by others, or put it in the image store");
    }
}

// The directories above an instance's own must let its user through: under the system
// manager that is not root, and the unit's umask (0077) took the bit away from new ones.
void let_others_through(const Paths& paths, const std::string& project) {
    for (const std::filesystem::path& dir :
         {paths.state_dir, paths.state_dir / "instances", paths.instances_state(project)}) {
        make_directory(dir, 0711);
        struct stat st{};
        if (::stat(dir.c_str(), &st) == 0 && (st.st_mode & S_IXOTH) == 0 &&
            ::chmod(dir.c_str(), (st.st_mode & 07777) | S_IXOTH) < 0) {
            throw system_error("letting instances through " + dir.string(), errno);
        }
    }
}

} // namespace

void check_disk_size(const Service& service, const ResolvedImage& base,
                     const std::string& qemu_img_binary) {
    const std::optional<std::uint64_t>& wanted = service.vm.disk_size_bytes;
    if (!wanted) {
        return;
    }
    std::uint64_t base_size = virtual_size(qemu_img_binary, base);
    if (*wanted < base_size) {
        throw Error("service " + service.name + ": vm.disk_size (" + std::to_string(*wanted) +
                    " bytes) is smaller than image " + base.path.string() + " (" +
                    std::to_string(base_size) + " bytes)");
    }
}

std::vector<std::string> prepare_instance(const PrepareRequest& request) {
    std::vector<std::string> actions;
    std::string instance = instance_name(request.service, request.index);
    InstanceFiles files = instance_files(request.paths, request.project.name, instance);
    if (request.paths.scope == Scope::system) {
        let_others_through(request.paths, request.project.name);
    }
    make_directory(files.overlay.parent_path(), 0700);
    check_passthrough(request.sysfs_root, request.service);
    if (std::string firmware = prepare_firmware(request.service, files, configured_firmware());
        !firmware.empty()) {
        actions.push_back(firmware);
    }

    std::optional<DockerfileSeed> build = prepare_build(request.service, files, actions);
    std::error_code ec;
    if (!std::filesystem::exists(files.overlay, ec)) {
        ResolvedImage base = resolve_image(request.service.image, request.project.base_dir,
                                           request.paths.image_store());
        if (!request.service.image_format.empty()) {
            base.format = request.service.image_format;
        }
        if (request.paths.scope == Scope::system) {
            check_image_access(base);
        }
        create_overlay(request, base, files.overlay);
        actions.push_back("created overlay " + files.overlay.string() + " on " +
                          base.path.string());
    }

    record_build(files, build);

    SeedInput seed{request.project, request.service, request.index, request.public_key,
                   request.network, build ? &*build : nullptr};
    SeedContent content = seed_content(seed);
    write_seed_iso(files.seed, content.files);
    actions.push_back("wrote seed " + files.seed.string() + " (" + content.instance_id + ")");
    if (forget_host_key_if_reprovisioned(files, content.instance_id)) {
        actions.push_back("the guest will be provisioned again; forgot its pinned SSH host key");
    }
    return actions;
}

void remove_instance_state(const Paths& paths, const std::string& project) {
    std::error_code ec;
    std::filesystem::remove_all(paths.instances_state(project), ec);
    if (ec) {
        throw Error("removing " + paths.instances_state(project).string() + ": " + ec.message());
    }
}

} // namespace holos
