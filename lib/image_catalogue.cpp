// The catalogue as two tables: distributions (URL patterns and what their images are) and
// releases (tags and the values the patterns need). A new release is one line in kReleases.
//
// Patterns take {tag}, {version} and {codename} from the release, and a checksum pattern
// may also use {url}, the expanded image URL. URLs point at the distributions' own servers
// (x86_64 images only); "latest" directories are fine, since the store keeps every image by
// its digest and a re-published file becomes a new image rather than a changed one.
#include "image_catalogue.hpp"

#include <array>
#include <string_view>

namespace holos {
namespace {

struct Distribution {
    std::string_view name;
    std::string_view description;
    std::string_view url;
    std::string_view checksum_url;
    ChecksumFormat checksum_format;
    DigestAlgorithm algorithm;
    std::string_view format;
    std::string_view user;
    std::string_view init;
};

using enum ChecksumFormat;
using enum DigestAlgorithm;

constexpr std::array kDistributions = {
    Distribution{"alpine", "Alpine Linux {version}, NoCloud image with cloud-init",
                 "https://dl-cdn.alpinelinux.org/alpine/v{tag}/releases/cloud/"
                 "nocloud_alpine-{version}-x86_64-bios-cloudinit-r0.qcow2",
                 "{url}.sha512", bare, sha512, "qcow2", "alpine", "openrc"},
    Distribution{"debian", "Debian {tag} ({codename}), genericcloud",
                 "https://cloud.debian.org/images/cloud/{codename}/latest/"
                 "debian-{tag}-genericcloud-amd64.qcow2",
                 "https://cloud.debian.org/images/cloud/{codename}/latest/SHA512SUMS", gnu, sha512,
                 "qcow2", "debian", "systemd"},
    Distribution{"ubuntu", "Ubuntu {tag} ({codename}) server cloud image",
                 "https://cloud-images.ubuntu.com/releases/{tag}/release/"
                 "ubuntu-{tag}-server-cloudimg-amd64.img",
                 "https://cloud-images.ubuntu.com/releases/{tag}/release/SHA256SUMS", gnu, sha256,
                 "qcow2", "ubuntu", "systemd"},
    Distribution{"fedora", "Fedora {tag} Cloud Base Generic",
                 "https://download.fedoraproject.org/pub/fedora/linux/releases/{tag}/Cloud/"
                 "x86_64/images/Fedora-Cloud-Base-Generic-{tag}-{version}.x86_64.qcow2",
                 "https://download.fedoraproject.org/pub/fedora/linux/releases/{tag}/Cloud/"
                 "x86_64/images/Fedora-Cloud-{tag}-{version}-x86_64-CHECKSUM",
                 bsd, sha256, "qcow2", "fedora", "systemd"},
    Distribution{"arch", "Arch Linux cloud image (rolling)",
                 "https://geo.mirror.pkgbuild.com/images/latest/Arch-Linux-x86_64-cloudimg.qcow2",
                 "{url}.SHA256", bare, sha256, "qcow2", "arch", "systemd"},
    Distribution{"rocky", "Rocky Linux {tag} GenericCloud",
                 "https://dl.rockylinux.org/pub/rocky/{tag}/images/x86_64/"
                 "Rocky-{tag}-GenericCloud-Base.latest.x86_64.qcow2",
                 "{url}.CHECKSUM", bsd, sha256, "qcow2", "rocky", "systemd"},
    Distribution{"alma", "AlmaLinux {tag} GenericCloud",
                 "https://repo.almalinux.org/almalinux/{tag}/cloud/x86_64/images/"
                 "AlmaLinux-{tag}-GenericCloud-latest.x86_64.qcow2",
                 "https://repo.almalinux.org/almalinux/{tag}/cloud/x86_64/images/CHECKSUM", bsd,
                 sha256, "qcow2", "almalinux", "systemd"},
};

struct Release {
    std::string_view distribution;
    std::string_view tag;
    std::string_view aliases; // space-separated
    std::string_view version;
    std::string_view codename;
};

constexpr std::array kReleases = {
    Release{"alpine", "3.23", "3 latest", "3.23.3", ""},
    Release{"alpine", "3.22", "", "3.22.1", ""},
    Release{"debian", "13", "trixie latest", "", "trixie"},
    Release{"debian", "12", "bookworm", "", "bookworm"},
    Release{"ubuntu", "24.04", "noble lts latest", "", "noble"},
    Release{"ubuntu", "22.04", "jammy", "", "jammy"},
    Release{"fedora", "43", "latest", "1.6", ""},
    Release{"fedora", "42", "", "1.1", ""},
    Release{"arch", "latest", "", "", ""},
    Release{"rocky", "10", "latest", "", ""},
    Release{"rocky", "9", "", "", ""},
    Release{"alma", "10", "latest", "", ""},
    Release{"alma", "9", "", "", ""},
};

// Other names people use for a distribution.
struct NameAlias {
    std::string_view alias;
    std::string_view name;
};

constexpr std::array kNameAliases = {
    NameAlias{"almalinux", "alma"},
    NameAlias{"archlinux", "arch"},
    NameAlias{"rockylinux", "rocky"},
};

std::string_view distribution_name(std::string_view name) {
    for (const NameAlias& alias : kNameAliases) {
        if (alias.alias == name) {
            return alias.name;
        }
    }
    return name;
}

void replace_all(std::string& text, std::string_view placeholder, std::string_view value) {
    for (size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size())) {
        text.replace(at, placeholder.size(), value);
    }
}

std::string expand(std::string_view pattern, const Release& release, std::string_view url) {
    std::string text(pattern);
    replace_all(text, "{tag}", release.tag);
    replace_all(text, "{version}", release.version);
    replace_all(text, "{codename}", release.codename);
    replace_all(text, "{url}", url);
    return text;
}

std::vector<std::string> split_words(std::string_view words) {
    std::vector<std::string> out;
    while (!words.empty()) {
        size_t space = words.find(' ');
        if (space != 0) {
            out.emplace_back(words.substr(0, space));
        }
        words = space == std::string_view::npos ? std::string_view{} : words.substr(space + 1);
    }
    return out;
}

const Distribution& distribution_of(const Release& release) {
    for (const Distribution& distribution : kDistributions) {
        if (distribution.name == release.distribution) {
            return distribution;
        }
    }
    return kDistributions.front(); // unreachable: every release names a distribution above
}

CatalogueEntry make_entry(const Release& release) {
    const Distribution& from = distribution_of(release);
    std::string url = expand(from.url, release, "");
    std::string checksum_url = expand(from.checksum_url, release, url);
    return {ImageReference{std::string(release.distribution), std::string(release.tag)},
            split_words(release.aliases),
            expand(from.description, release, ""),
            url,
            checksum_url,
            url.substr(url.rfind('/') + 1),
            from.checksum_format,
            from.algorithm,
            std::string(from.format),
            std::string(from.user),
            std::string(from.init)};
}

bool has_tag(const CatalogueEntry& entry, const std::string& tag) {
    if (entry.reference.tag == tag) {
        return true;
    }
    for (const std::string& alias : entry.aliases) {
        if (alias == tag) {
            return true;
        }
    }
    return false;
}

} // namespace

const std::vector<CatalogueEntry>& catalogue() {
    static const std::vector<CatalogueEntry> entries = [] {
        std::vector<CatalogueEntry> all;
        for (const Release& release : kReleases) {
            all.push_back(make_entry(release));
        }
        return all;
    }();
    return entries;
}

const CatalogueEntry* find_in_catalogue(const ImageReference& reference) {
    std::string_view name = distribution_name(reference.name);
    for (const CatalogueEntry& entry : catalogue()) {
        if (entry.reference.name == name && has_tag(entry, reference.tag)) {
            return &entry;
        }
    }
    return nullptr;
}

ImageReference canonical_reference(const ImageReference& reference) {
    const CatalogueEntry* entry = find_in_catalogue(reference);
    return entry != nullptr ? entry->reference : reference;
}

std::string mirrored_url(const std::string& url, const std::string& mirror) {
    size_t scheme_end = url.find("://");
    if (mirror.empty() || scheme_end == std::string::npos) {
        return url;
    }
    std::string base = mirror;
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    return base + "/" + url.substr(scheme_end + 3);
}

} // namespace holos
