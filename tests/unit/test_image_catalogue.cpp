#include "image_catalogue.hpp"

#include <gtest/gtest.h>
#include <set>

namespace holos {
namespace {

ImageReference ref(const std::string& text) {
    std::string error;
    std::optional<ImageReference> reference = parse_image_reference(text, error);
    EXPECT_TRUE(reference) << text << ": " << error;
    return reference.value_or(ImageReference{});
}

TEST(ImageReference, AMissingTagIsLatest) {
    EXPECT_EQ(ref("debian"), (ImageReference{"debian", "latest"}));
    EXPECT_EQ(ref("ubuntu:24.04"), (ImageReference{"ubuntu", "24.04"}));
}

TEST(ImageReference, RejectsWhatCouldNotBeAFileOrUnitName) {
    for (const char* text : {"", ":12", "Debian:12", "debian:", "debian:..", "deb ian",
                             "debian:12:1", "debian:a/b", "-x", "debian:-rc"}) {
        std::string error;
        EXPECT_FALSE(parse_image_reference(text, error)) << text;
        EXPECT_FALSE(error.empty()) << text;
    }
    std::string error;
    EXPECT_FALSE(parse_image_reference(std::string(65, 'a'), error));
    EXPECT_EQ(error, "the name must be 1 to 64 characters");
}

struct LookupCase {
    const char* given;
    const char* canonical;
};

const LookupCase kLookups[] = {
    {"debian", "debian:13"},          {"debian:bookworm", "debian:12"},
    {"debian:12", "debian:12"},       {"ubuntu", "ubuntu:24.04"},
    {"ubuntu:noble", "ubuntu:24.04"}, {"ubuntu:lts", "ubuntu:24.04"},
    {"ubuntu:jammy", "ubuntu:22.04"}, {"alpine:3", "alpine:3.23"},
    {"fedora", "fedora:43"},          {"arch", "arch:latest"},
    {"archlinux", "arch:latest"},     {"rocky:9", "rocky:9"},
    {"almalinux:9", "alma:9"},        {"alma", "alma:10"},
};

TEST(ImageCatalogue, FindsEntriesByTagAliasAndOtherDistributionNames) {
    for (const LookupCase& c : kLookups) {
        const CatalogueEntry* entry = find_in_catalogue(ref(c.given));
        ASSERT_NE(entry, nullptr) << c.given;
        EXPECT_EQ(entry->reference.str(), c.canonical) << c.given;
        EXPECT_EQ(canonical_reference(ref(c.given)).str(), c.canonical) << c.given;
    }
}

TEST(ImageCatalogue, ANameItDoesNotKnowStaysAsItIs) {
    EXPECT_EQ(find_in_catalogue(ref("debian:7")), nullptr);
    EXPECT_EQ(find_in_catalogue(ref("myimage")), nullptr);
    EXPECT_EQ(canonical_reference(ref("myimage")).str(), "myimage:latest");
}

TEST(ImageCatalogue, CoversTheMainDistributions) {
    std::set<std::string> names;
    for (const CatalogueEntry& entry : catalogue()) {
        names.insert(entry.reference.name);
    }
    EXPECT_EQ(names, (std::set<std::string>{"alpine", "alma", "arch", "debian", "fedora", "rocky",
                                            "ubuntu"}));
}

// Every pattern is filled in, every URL is https, and the checksum file sits beside the image.
TEST(ImageCatalogue, EveryEntryIsCompleteAndItsUrlsAreExpanded) {
    std::set<std::string> tags;
    for (const CatalogueEntry& entry : catalogue()) {
        std::string name = entry.reference.str();
        EXPECT_TRUE(tags.insert(name).second) << name << " is listed twice";
        for (const std::string& url : {entry.url, entry.checksum_url}) {
            EXPECT_TRUE(url.starts_with("https://")) << name << ": " << url;
            EXPECT_EQ(url.find('{'), std::string::npos) << name << ": " << url;
        }
        std::string directory = entry.url.substr(0, entry.url.rfind('/') + 1);
        EXPECT_TRUE(entry.checksum_url.starts_with(directory)) << name;
        EXPECT_TRUE(entry.url.ends_with("/" + entry.file_name)) << name;
        EXPECT_FALSE(entry.user.empty()) << name;
        EXPECT_TRUE(entry.init == "systemd" || entry.init == "openrc") << name;
        EXPECT_EQ(entry.format, "qcow2") << name;
    }
}

TEST(ImageCatalogue, ExpandsPatternsWithTheReleaseValues) {
    const CatalogueEntry* alpine = find_in_catalogue(ref("alpine:3.23"));
    ASSERT_NE(alpine, nullptr);
    EXPECT_EQ(alpine->url, "https://dl-cdn.alpinelinux.org/alpine/v3.23/releases/cloud/"
                           "nocloud_alpine-3.23.3-x86_64-bios-cloudinit-r0.qcow2");
    EXPECT_EQ(alpine->checksum_url, alpine->url + ".sha512");
    EXPECT_EQ(alpine->checksum_format, ChecksumFormat::bare);
    const CatalogueEntry* debian = find_in_catalogue(ref("debian:12"));
    ASSERT_NE(debian, nullptr);
    EXPECT_EQ(debian->checksum_url,
              "https://cloud.debian.org/images/cloud/bookworm/latest/SHA512SUMS");
    EXPECT_EQ(debian->file_name, "debian-12-genericcloud-amd64.qcow2");
    EXPECT_EQ(debian->user, "debian");
    EXPECT_EQ(find_in_catalogue(ref("alpine"))->init, "openrc");
}

TEST(ImageCatalogue, AMirrorTakesTheUpstreamHostAsItsFirstPathComponent) {
    EXPECT_EQ(mirrored_url("https://cloud.debian.org/images/a.qcow2", "http://127.0.0.1:8000/"),
              "http://127.0.0.1:8000/cloud.debian.org/images/a.qcow2");
    EXPECT_EQ(mirrored_url("https://h/x", "http://m/up"), "http://m/up/h/x");
    EXPECT_EQ(mirrored_url("https://h/x", ""), "https://h/x");
}

} // namespace
} // namespace holos
