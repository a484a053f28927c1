#include "image_pull.hpp"

#include "digest.hpp"
#include "error.hpp"
#include "holos_build_config.hpp"
#include "image_inspect.hpp"
#include "settings.hpp"

namespace holos {
namespace {

// Checksum files list a few hundred images at most.
constexpr std::size_t kMaxChecksumFileBytes = 1 << 20;

struct Expected {
    DigestAlgorithm algorithm;
    std::string hex;

    std::string str() const { return std::string(algorithm_name(algorithm)) + ":" + hex; }
};

Expected expected_digest(const CatalogueEntry& entry, const PullOptions& options) {
    std::string url = mirrored_url(entry.checksum_url, options.mirror);
    std::string text = fetch_text(url, options.transfer, kMaxChecksumFileBytes);
    try {
        return {entry.algorithm,
                find_checksum(text, entry.checksum_format, entry.algorithm, entry.file_name)};
    } catch (const Error& e) {
        throw Error("checksum file " + url + ": " + e.what());
    }
}

bool is_current(const ImageStore& store, const std::optional<StoredImage>& stored,
                const Expected& expected) {
    std::error_code ec;
    return stored && stored->upstream_digest == expected.str() &&
           std::filesystem::is_regular_file(store.blob_path(stored->sha256), ec);
}

// The same URL always continues the same partial file, and no other URL does.
std::filesystem::path partial_path(const ImageStore& store, const CatalogueEntry& entry,
                                   const std::string& url) {
    Digester digester({DigestAlgorithm::sha256});
    digester.update(url);
    return store.temp_dir() / (entry.reference.name + "-" + entry.reference.tag + "-" +
                               digester.finish().front().substr(0, 12) + ".part");
}

struct Downloaded {
    std::string sha256;
    std::string upstream_hex;
    std::uint64_t resumed_from = 0;
};

Downloaded download_and_hash(const std::string& url, const std::filesystem::path& partial,
                             const Expected& expected, const PullOptions& options,
                             const PullEvents& events) {
    DownloadResult result = download_file(url, partial, options.transfer, events.progress);
    std::vector<DigestAlgorithm> algorithms = {DigestAlgorithm::sha256};
    if (expected.algorithm != DigestAlgorithm::sha256) {
        algorithms.push_back(expected.algorithm);
    }
    std::vector<std::string> digests = digest_file(partial, algorithms);
    return {digests.front(), digests.back(), result.resumed_from};
}

void discard(const std::filesystem::path& partial) {
    std::error_code ec;
    std::filesystem::remove(partial, ec);
}

// A download that does not match is deleted. One that continued an earlier partial file
// gets one more try from the start: upstream may have replaced the file in between.
Downloaded verified_download(const CatalogueEntry& entry, const std::string& url,
                             const std::filesystem::path& partial, const Expected& expected,
                             const PullOptions& options, const PullEvents& events) {
    Downloaded got = download_and_hash(url, partial, expected, options, events);
    if (got.upstream_hex != expected.hex && got.resumed_from > 0) {
        events.note("the continued download does not match its checksum; starting again");
        discard(partial);
        got = download_and_hash(url, partial, expected, options, events);
    }
    if (got.upstream_hex != expected.hex) {
        discard(partial);
        throw Error("pulling " + entry.reference.str() + ": the download does not match " +
                    "its checksum (expected " + expected.str() + " from " +
                    mirrored_url(entry.checksum_url, options.mirror) + ", got " +
                    std::string(algorithm_name(expected.algorithm)) + ":" + got.upstream_hex +
                    "); it was deleted");
    }
    return got;
}

void check_downloaded_image(const CatalogueEntry& entry, const std::filesystem::path& partial,
                            const PullOptions& options) {
    try {
        check_base_image(options.qemu_img, partial, entry.format);
    } catch (const Error& e) {
        discard(partial);
        throw Error("pulling " + entry.reference.str() + ": the download matches its checksum " +
                    "but is not a usable " + entry.format +
                    " image, so it was deleted: " + e.what());
    }
}

} // namespace

PullOptions host_pull_options(const Paths& paths, std::vector<std::string>& errors) {
    SettingsResult settings = load_settings(paths);
    errors.insert(errors.end(), settings.errors.begin(), settings.errors.end());
    PullOptions options;
    options.mirror = settings.settings.image_mirror;
    options.transfer.stall_timeout_s = settings.settings.pull_stall_timeout_s;
    options.qemu_img = HOLOS_QEMU_IMG_BINARY;
    return options;
}

PullOutcome pull_image(const ImageStore& store, const CatalogueEntry& entry,
                       const PullOptions& options, const PullEvents& events) {
    StoreLock lock(store, "pull-" + entry.reference.name + "-" + entry.reference.tag);
    Expected expected = expected_digest(entry, options);
    std::optional<StoredImage> stored = store.find(entry.reference);
    if (is_current(store, stored, expected)) {
        return {*stored, false};
    }

    std::string url = mirrored_url(entry.url, options.mirror);
    std::filesystem::path partial = partial_path(store, entry, url);
    events.note("downloading " + url);
    Downloaded got = verified_download(entry, url, partial, expected, options, events);
    events.note("verified " + std::string(algorithm_name(expected.algorithm)) + ":" +
                expected.hex.substr(0, 16) + " from " +
                mirrored_url(entry.checksum_url, options.mirror));
    check_downloaded_image(entry, partial, options);

    std::uint64_t size = std::filesystem::file_size(partial);
    store.add_blob(partial, got.sha256);
    StoredImage image{entry.reference, got.sha256, entry.format,   size,
                      "pull",          url,        expected.str(), utc_timestamp()};
    store.write_reference(image);
    return {image, true};
}

} // namespace holos
