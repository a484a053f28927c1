// The catalogue of cloud images holos knows how to download: per distribution, where the
// image and its checksum file live upstream, what the checksum file looks like, and what the
// image is (format, default login user, init system). Pure data and lookups: no I/O.
#pragma once

#include "checksum_file.hpp"
#include "digest.hpp"
#include "image_reference.hpp"

#include <optional>
#include <string>
#include <vector>

namespace holos {

struct CatalogueEntry {
    ImageReference reference;         // canonical name:tag
    std::vector<std::string> aliases; // other tags of the same image ("bookworm", "latest")
    std::string description;
    std::string url;          // the image
    std::string checksum_url; // the checksum file that lists it
    std::string file_name;    // how the checksum file names the image
    ChecksumFormat checksum_format;
    DigestAlgorithm algorithm;
    std::string format; // "qcow2" or "raw"
    std::string user;   // the image's default login user
    std::string init;   // "systemd" or "openrc"
};

// Every entry, in table order (by distribution, newest release first).
const std::vector<CatalogueEntry>& catalogue();

// The entry a reference names: by the distribution's name or another name for it
// ("almalinux" for "alma"), and by the canonical tag or an alias ("latest" included).
const CatalogueEntry* find_in_catalogue(const ImageReference& reference);

// The reference the store files an image under: the catalogue's canonical one for an alias
// ("debian:bookworm" is "debian:12", "almalinux:9" is "alma:9"), otherwise the reference.
ImageReference canonical_reference(const ImageReference& reference);

// A download URL through a mirror that keeps each upstream host as its first path
// component: "https://cloud.debian.org/a/b" with mirror "http://m:8000/up" becomes
// "http://m:8000/up/cloud.debian.org/a/b". An empty mirror leaves the URL as it is.
std::string mirrored_url(const std::string& url, const std::string& mirror);

} // namespace holos
