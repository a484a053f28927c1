// What the image verbs (images, pull, verify, image) share: reading a reference from the
// command line, the store of the chosen scope, and pulling with progress shown.
#pragma once

#include "context.hpp"

#include "image_pull.hpp"
#include "image_reference.hpp"
#include "image_store.hpp"

#include <string>

namespace holos::ctl {

// Parses "name[:tag]". Throws Failure (a usage error) naming the problem.
ImageReference reference_argument(const std::string& text);

ImageStore store_for(const GlobalOptions& global);

// The pull options of this host; problems in holos.conf are printed as warnings.
PullOptions pull_options_for(const Paths& paths);

// Pulls a catalogue image with a progress display on stderr. Throws Error.
PullOutcome pull_with_progress(const ImageStore& store, const CatalogueEntry& entry,
                               const PullOptions& options);

// "sha256:1a2b3c4d5e6f7a8b", short enough for one line.
std::string short_digest(const std::string& sha256);

} // namespace holos::ctl
