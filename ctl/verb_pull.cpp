// holosctl pull: downloads catalogue images into the store, checked against their upstream
// checksum files. An image whose upstream checksum is the one already stored is not
// downloaded again.

#include "verbs.hpp"

#include "image_options.hpp"

#include "error.hpp"
#include "image_catalogue.hpp"
#include "instance_status.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

namespace holos::ctl {
namespace {

void pull_one(const ImageStore& store, const ImageReference& reference,
              const PullOptions& options) {
    const CatalogueEntry* entry = find_in_catalogue(reference);
    if (entry == nullptr) {
        throw Error("image " + reference.str() + " is not in the catalogue (holosctl images " +
                    "lists it); add a local file with holosctl image import");
    }
    PullOutcome outcome = pull_with_progress(store, *entry, options);
    const StoredImage& image = outcome.image;
    if (!outcome.downloaded) {
        std::cout << image.reference.str() << " is up to date (" << short_digest(image.sha256)
                  << ")\n";
        return;
    }
    std::cout << "pulled " << image.reference.str() << " (" << format_bytes(image.size_bytes)
              << "): " << store.blob_path(image.sha256).string() << "\n";
}

int run_pull(const std::vector<std::string>& images, const GlobalOptions& global) {
    std::vector<ImageReference> references;
    for (const std::string& image : images) {
        references.push_back(reference_argument(image));
    }
    ImageStore store = store_for(global);
    PullOptions options = pull_options_for(paths_for(global.scope()));
    int status = kExitOk;
    for (const ImageReference& reference : references) {
        try {
            pull_one(store, reference, options);
        } catch (const Error& e) {
            std::cerr << "holosctl: " << e.what() << "\n";
            status = kExitFailure;
        }
    }
    return status;
}

} // namespace

VerbRun setup_pull(CLI::App& command, const GlobalOptions& global) {
    auto images = std::make_shared<std::vector<std::string>>();
    command.add_option("images", *images, "catalogue images (debian:12, ubuntu, alpine:3.23)")
        ->required();
    return [images, &global] { return run_pull(*images, global); };
}

} // namespace holos::ctl
