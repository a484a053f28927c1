// holosctl verify: re-hashes stored images and compares each with the digest it is filed
// under. Offline: the upstream checksum was checked when the image was pulled, and the
// store's own SHA-256 is what overlays depend on.

#include "verbs.hpp"

#include "image_options.hpp"

#include "image_verify.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

namespace holos::ctl {
namespace {

struct VerifyOptions {
    std::vector<std::string> images;
    bool all = false;
};

std::vector<StoredImage> chosen_images(const VerifyOptions& options, const ImageStore& store) {
    if (options.images.empty()) {
        return store.list();
    }
    std::vector<StoredImage> chosen;
    for (const std::string& text : options.images) {
        std::optional<StoredImage> image = store.find(reference_argument(text));
        if (!image) {
            throw Failure("image " + text + " is not in the image store (" + store.root().string() +
                          ")");
        }
        chosen.push_back(*image);
    }
    return chosen;
}

int run_verify(const VerifyOptions& options, const GlobalOptions& global) {
    ImageStore store = store_for(global);
    std::vector<StoredImage> images = chosen_images(options, store);
    if (images.empty()) {
        std::cout << "the image store (" << store.root().string() << ") is empty\n";
        return kExitOk;
    }
    int status = kExitOk;
    for (const StoredImage& image : images) {
        std::string problem = verify_stored_image(store, image);
        if (problem.empty()) {
            std::cout << image.reference.str() << ": ok (" << short_digest(image.sha256) << ")\n";
            continue;
        }
        std::cerr << "holosctl: " << image.reference.str() << ": " << problem
                  << "; pull or import it again\n";
        status = kExitFailure;
    }
    return status;
}

} // namespace

VerbRun setup_verify(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<VerifyOptions>();
    auto* images = command.add_option("images", options->images, "stored images to check");
    command.add_flag("--all", options->all, "check every stored image (the default)")
        ->excludes(images);
    return [options, &global] { return run_verify(*options, global); };
}

} // namespace holos::ctl
