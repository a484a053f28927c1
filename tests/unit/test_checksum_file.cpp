#include "checksum_file.hpp"

#include "error.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

const std::string kSha256(64, 'a');
const std::string kOther256(64, 'b');
const std::string kSha512(128, 'c');

struct FoundCase {
    const char* name;
    std::string text;
    ChecksumFormat format;
    DigestAlgorithm algorithm;
    std::string file;
    std::string expected;
};

// Lines shaped as each distribution publishes them.
const FoundCase kFoundCases[] = {
    {"gnu text mode (Debian SHA512SUMS)",
     kSha512 + "  debian-12-genericcloud-amd64.json\n" + kSha512.substr(0, 127) + "d" +
         "  debian-12-genericcloud-amd64.qcow2\n",
     ChecksumFormat::gnu, DigestAlgorithm::sha512, "debian-12-genericcloud-amd64.qcow2",
     kSha512.substr(0, 127) + "d"},
    {"gnu binary mode (Ubuntu SHA256SUMS)",
     kOther256 + " *ubuntu-24.04-server-cloudimg-amd64.tar.gz\n" + kSha256 +
         " *ubuntu-24.04-server-cloudimg-amd64.img\n",
     ChecksumFormat::gnu, DigestAlgorithm::sha256, "ubuntu-24.04-server-cloudimg-amd64.img",
     kSha256},
    {"gnu with ./ and CRLF", kSha256 + "  ./disk.qcow2\r\n", ChecksumFormat::gnu,
     DigestAlgorithm::sha256, "disk.qcow2", kSha256},
    {"bsd inside a PGP clear-signature (Fedora CHECKSUM)",
     "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
     "# Fedora-Cloud-Base-Generic-43-1.6.x86_64.qcow2: 123 bytes\n"
     "SHA256 (Fedora-Cloud-Base-Generic-43-1.6.x86_64.qcow2) = " +
         kSha256 +
         "\n"
         "SHA256 (Fedora-Cloud-Base-43-1.6.x86_64.raw.xz) = " +
         kOther256 +
         "\n"
         "-----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCAAdFiEE\n-----END PGP SIGNATURE-----\n",
     ChecksumFormat::bsd, DigestAlgorithm::sha256, "Fedora-Cloud-Base-Generic-43-1.6.x86_64.qcow2",
     kSha256},
    {"bsd in upper case hex (AlmaLinux CHECKSUM)",
     "SHA256 (AlmaLinux-9-GenericCloud-latest.x86_64.qcow2) = " + std::string(64, 'A') + "\n",
     ChecksumFormat::bsd, DigestAlgorithm::sha256, "AlmaLinux-9-GenericCloud-latest.x86_64.qcow2",
     kSha256},
    {"bsd with lines of another algorithm",
     "SHA512 (x.qcow2) = " + kSha512 + "\nSHA256 (x.qcow2) = " + kSha256 + "\n",
     ChecksumFormat::bsd, DigestAlgorithm::sha256, "x.qcow2", kSha256},
    {"bare digest (Alpine .sha512)", kSha512 + "\n", ChecksumFormat::bare, DigestAlgorithm::sha512,
     "nocloud_alpine-3.23.3-x86_64-bios-cloudinit-r0.qcow2", kSha512},
    {"bare digest naming the dated file (Arch .SHA256)",
     kSha256 + "  Arch-Linux-x86_64-cloudimg-20250701.374901.qcow2\n", ChecksumFormat::bare,
     DigestAlgorithm::sha256, "Arch-Linux-x86_64-cloudimg.qcow2", kSha256},
    {"the same digest listed twice", kSha256 + "  a.img\n" + kSha256 + " *a.img\n",
     ChecksumFormat::gnu, DigestAlgorithm::sha256, "a.img", kSha256},
};

TEST(ChecksumFile, FindsTheDigestInEachPublishedLayout) {
    for (const FoundCase& c : kFoundCases) {
        EXPECT_EQ(find_checksum(c.text, c.format, c.algorithm, c.file), c.expected) << c.name;
    }
}

struct RejectedCase {
    const char* name;
    std::string text;
    ChecksumFormat format;
    DigestAlgorithm algorithm;
    std::string message;
};

const RejectedCase kRejectedCases[] = {
    {"no entry for the file", kSha256 + "  other.img\n", ChecksumFormat::gnu,
     DigestAlgorithm::sha256, "no sha256 entry for \"a.img\""},
    {"a name that only starts like the file", kSha256 + "  a.img.sig\n", ChecksumFormat::gnu,
     DigestAlgorithm::sha256, "no sha256 entry for \"a.img\""},
    {"a sha256 where sha512 is expected", kSha256 + "  a.img\n", ChecksumFormat::gnu,
     DigestAlgorithm::sha512,
     "the entry for \"a.img\" is not a sha512 digest: \"" + kSha256 + "\""},
    {"two different digests", kSha256 + "  a.img\n" + kOther256 + "  a.img\n", ChecksumFormat::gnu,
     DigestAlgorithm::sha256, "different digests are listed for \"a.img\""},
    {"bsd line of the wrong algorithm only", "SHA512 (a.img) = " + kSha512 + "\n",
     ChecksumFormat::bsd, DigestAlgorithm::sha256, "no sha256 entry for \"a.img\""},
    {"bare file that is an HTML error page", "<html><body>Not Found</body></html>\n",
     ChecksumFormat::bare, DigestAlgorithm::sha256,
     "its first word is not a sha256 digest: \"<html><body>Not\""},
    {"bare file that is empty", "\n\n", ChecksumFormat::bare, DigestAlgorithm::sha512,
     "the file is empty"},
    {"hex with a non-hex digit", std::string(63, 'a') + "g  a.img\n", ChecksumFormat::gnu,
     DigestAlgorithm::sha256,
     "the entry for \"a.img\" is not a sha256 digest: \"" + std::string(63, 'a') + "g\""},
};

TEST(ChecksumFile, RejectsWhatIsMissingAmbiguousOrMalformed) {
    for (const RejectedCase& c : kRejectedCases) {
        try {
            find_checksum(c.text, c.format, c.algorithm, "a.img");
            ADD_FAILURE() << c.name << ": no error";
        } catch (const Error& e) {
            EXPECT_EQ(e.what(), c.message) << c.name;
        }
    }
}

TEST(ChecksumFile, FormatNamesRoundTrip) {
    for (ChecksumFormat format : {ChecksumFormat::gnu, ChecksumFormat::bsd, ChecksumFormat::bare}) {
        EXPECT_EQ(checksum_format_named(checksum_format_name(format)), format);
    }
    EXPECT_FALSE(checksum_format_named("md5"));
}

} // namespace
} // namespace holos
