// Downloading a catalogue image into the store. The upstream checksum file is read first,
// the image downloaded (continuing an interrupted download), checked against the checksum
// and by qemu-img, and only then moved into the store under its SHA-256. Anything that
// fails a check is deleted; an interrupted download stays in the store's tmp/ to be
// continued, and is never used before it has been checked.
#pragma once

#include "http_download.hpp"
#include "image_catalogue.hpp"
#include "image_store.hpp"
#include "paths.hpp"

#include <functional>
#include <string>
#include <vector>

namespace holos {

struct PullOptions {
    std::string mirror; // Settings::image_mirror
    TransferOptions transfer;
    std::string qemu_img;
};

// The options from this host's holos.conf (problems in it are added to `errors`, and the
// defaults used) and the installed qemu-img.
PullOptions host_pull_options(const Paths& paths, std::vector<std::string>& errors);

// What a pull reports while it runs. Neither callback may throw.
struct PullEvents {
    std::function<void(const std::string&)> note; // one line: what happens next
    ProgressCallback progress;
};

struct PullOutcome {
    StoredImage image;
    bool downloaded = false; // false: the store already had what upstream publishes now
};

// Pulls `entry` into `store`. One pull of an image runs at a time; a second one waits and
// then finds the image up to date. Throws Error.
PullOutcome pull_image(const ImageStore& store, const CatalogueEntry& entry,
                       const PullOptions& options, const PullEvents& events);

} // namespace holos
