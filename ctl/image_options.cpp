#include "image_options.hpp"

#include "pull_progress.hpp"

#include "terminal.hpp"

#include <iostream>
#include <unistd.h>

namespace holos::ctl {

ImageReference reference_argument(const std::string& text) {
    std::string problem;
    std::optional<ImageReference> reference = parse_image_reference(text, problem);
    if (!reference) {
        throw Failure("\"" + text + "\" is not an image name: " + problem, kExitUsage);
    }
    return *reference;
}

ImageStore store_for(const GlobalOptions& global) {
    return ImageStore(paths_for(global.scope()).image_store());
}

PullOptions pull_options_for(const Paths& paths) {
    std::vector<std::string> errors;
    PullOptions options = host_pull_options(paths, errors);
    for (const std::string& error : errors) {
        std::cerr << "holosctl: warning: " << error << " (using the default)\n";
    }
    return options;
}

PullOutcome pull_with_progress(const ImageStore& store, const CatalogueEntry& entry,
                               const PullOptions& options) {
    PullProgress progress(entry.reference.str(), is_terminal(STDERR_FILENO));
    try {
        PullOutcome outcome = pull_image(store, entry, options, progress.events());
        progress.finish();
        return outcome;
    } catch (...) {
        progress.finish();
        throw;
    }
}

std::string short_digest(const std::string& sha256) {
    return "sha256:" + sha256.substr(0, 16);
}

} // namespace holos::ctl
