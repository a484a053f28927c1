// holosctl images: the catalogue (what pull can download) and the local store (what is
// here), as two tables or as JSON. Reads files only: no network.

#include "verbs.hpp"

#include "image_options.hpp"
#include "table.hpp"

#include "image_catalogue.hpp"
#include "instance_status.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

namespace holos::ctl {
namespace {

struct ImagesOptions {
    bool json = false;
    bool quiet = false;
};

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& word : words) {
        out += (out.empty() ? "" : ", ") + word;
    }
    return out.empty() ? "-" : out;
}

void print_catalogue(const std::set<std::string>& stored) {
    std::vector<Row> rows = {{"IMAGE", "ALIASES", "FORMAT", "USER", "INIT", "CHECKSUM", "STORED"}};
    for (const CatalogueEntry& entry : catalogue()) {
        rows.push_back({entry.reference.str(), joined(entry.aliases), entry.format, entry.user,
                        entry.init,
                        std::string(algorithm_name(entry.algorithm)) + " (" +
                            std::string(checksum_format_name(entry.checksum_format)) + ")",
                        stored.contains(entry.reference.str()) ? "yes" : "-"});
    }
    std::cout << "catalogue (holosctl pull IMAGE downloads one):\n";
    print_table(rows);
}

void print_store(const ImageStore& store, const std::vector<StoredImage>& images) {
    std::cout << "\nstore (" << store.root().string() << "):\n";
    if (images.empty()) {
        std::cout << "no images yet\n";
        return;
    }
    std::vector<Row> rows = {{"IMAGE", "DIGEST", "SIZE", "FORMAT", "SOURCE", "ADDED"}};
    for (const StoredImage& image : images) {
        rows.push_back({image.reference.str(), short_digest(image.sha256),
                        format_bytes(image.size_bytes), image.format, image.source, image.added});
    }
    print_table(rows);
}

void print_unreferenced(const ImageStore& store) {
    std::vector<std::string> unused = store.unreferenced_blobs();
    if (unused.empty()) {
        return;
    }
    std::uint64_t bytes = 0;
    for (const std::string& sha256 : unused) {
        std::error_code ec;
        std::uintmax_t size = std::filesystem::file_size(store.blob_path(sha256), ec);
        bytes += ec ? 0 : size;
    }
    std::cout << unused.size() << (unused.size() == 1 ? " earlier image" : " earlier images")
              << " (" << format_bytes(bytes) << ") no name points to any more; overlays may "
              << "still use them\n";
}

nlohmann::ordered_json catalogue_json() {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const CatalogueEntry& entry : catalogue()) {
        out.push_back({{"image", entry.reference.str()},
                       {"aliases", entry.aliases},
                       {"description", entry.description},
                       {"url", entry.url},
                       {"checksum_url", entry.checksum_url},
                       {"file_name", entry.file_name},
                       {"checksum_format", checksum_format_name(entry.checksum_format)},
                       {"algorithm", algorithm_name(entry.algorithm)},
                       {"format", entry.format},
                       {"user", entry.user},
                       {"init", entry.init}});
    }
    return out;
}

nlohmann::ordered_json store_json(const ImageStore& store, const std::vector<StoredImage>& images) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const StoredImage& image : images) {
        out.push_back({{"image", image.reference.str()},
                       {"sha256", image.sha256},
                       {"path", store.blob_path(image.sha256).string()},
                       {"format", image.format},
                       {"size_bytes", image.size_bytes},
                       {"source", image.source},
                       {"origin", image.origin},
                       {"upstream_digest", image.upstream_digest},
                       {"added", image.added}});
    }
    return out;
}

// Every name pull or up accepts from the catalogue, and every stored one, for completion.
void print_names(const std::vector<StoredImage>& images) {
    std::set<std::string> names;
    for (const CatalogueEntry& entry : catalogue()) {
        names.insert(entry.reference.str());
        for (const std::string& alias : entry.aliases) {
            names.insert(entry.reference.name + ":" + alias);
        }
    }
    for (const StoredImage& image : images) {
        names.insert(image.reference.str());
    }
    for (const std::string& name : names) {
        std::cout << name << "\n";
    }
}

int run_images(const ImagesOptions& options, const GlobalOptions& global) {
    ImageStore store = store_for(global);
    std::vector<StoredImage> images = store.list();
    if (options.quiet) {
        print_names(images);
        return kExitOk;
    }
    if (options.json) {
        nlohmann::ordered_json out = {{"catalogue", catalogue_json()},
                                      {"store", store_json(store, images)},
                                      {"unreferenced", store.unreferenced_blobs()}};
        std::cout << out.dump(2) << "\n";
        return kExitOk;
    }
    std::set<std::string> stored;
    for (const StoredImage& image : images) {
        stored.insert(image.reference.str());
    }
    print_catalogue(stored);
    print_store(store, images);
    print_unreferenced(store);
    return kExitOk;
}

} // namespace

VerbRun setup_images(CLI::App& command, const GlobalOptions& global) {
    auto options = std::make_shared<ImagesOptions>();
    auto* json =
        command.add_flag("--json", options->json, "print the catalogue and the store as JSON");
    command.add_flag("-q,--quiet", options->quiet, "print image names only, one per line")
        ->excludes(json);
    return [options, &global] { return run_images(*options, global); };
}

} // namespace holos::ctl
