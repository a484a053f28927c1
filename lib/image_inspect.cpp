#include "image_inspect.hpp"

#include "error.hpp"
#include "process.hpp"

#include <nlohmann/json.hpp>

namespace holos {
namespace {

std::string trim_newlines(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

} // namespace

ImageInfo inspect_image(const std::string& qemu_img, const std::filesystem::path& path,
                        const std::string& format) {
    // qemu-img info never opens the backing file, so a hostile image cannot make it read one.
    std::vector<std::string> argv = {qemu_img, "info", "--output=json"};
    if (!format.empty()) {
        argv.insert(argv.end(), {"-f", format});
    }
    argv.push_back(path.string());
    CommandResult info = run_command(argv);
    if (info.exit_code != 0) {
        throw Error("reading image " + path.string() + ": " + trim_newlines(info.output));
    }
    try {
        nlohmann::json json = nlohmann::json::parse(info.output);
        return {json.at("format").get<std::string>(), json.at("virtual-size").get<std::uint64_t>(),
                json.value("backing-filename", std::string())};
    } catch (const nlohmann::json::exception& e) {
        throw Error("reading image " + path.string() + ": " + e.what());
    }
}

ImageInfo check_base_image(const std::string& qemu_img, const std::filesystem::path& path,
                           const std::string& format) {
    ImageInfo info = inspect_image(qemu_img, path, format);
    if (info.format != "qcow2" && info.format != "raw") {
        throw Error(path.string() + " is a " + info.format +
                    " image; convert it with qemu-img convert -O qcow2");
    }
    if (!info.backing_file.empty()) {
        throw Error(path.string() + " has the backing file \"" + info.backing_file +
                    "\"; a base image must stand alone (qemu-img convert -O qcow2 makes one)");
    }
    return info;
}

} // namespace holos
