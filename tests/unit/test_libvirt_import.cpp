// libvirt import, one table case per directory of tests/libvirt: its *.xml domains (in name
// order) must give expected.yaml and the warning lines of expected-warnings.txt, or, for a
// domain holos cannot boot, the lines of expected-error.txt. Every expected.yaml must also
// pass the holos.yaml parser, with the disks it names created in a temporary directory.
// HOLOS_UPDATE_EXPECTED=1 rewrites the expectations (review the diff).
#include "libvirt_import.hpp"
#include "parse.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace holos {
namespace {

const std::filesystem::path kCases = std::filesystem::path(HOLOS_SOURCE_DIR) / "tests/libvirt";

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct Outcome {
    std::string yaml;
    std::string warnings;
    std::string errors;
    std::vector<ImportedService> services;
};

Outcome import_case(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() == ".xml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    Outcome out;
    for (const std::filesystem::path& file : files) {
        DomainImport imported = import_domain(read_text(file));
        std::string who = imported.service ? imported.service->domain : file.filename().string();
        for (const std::string& warning : imported.warnings) {
            out.warnings += who + ": " + warning + "\n";
        }
        if (imported.service) {
            out.services.push_back(*imported.service);
        } else {
            out.errors += file.filename().string() + ": " + imported.error + "\n";
        }
    }
    if (out.errors.empty()) {
        out.yaml = imported_compose_text(out.services);
    }
    return out;
}

void expect_file(const std::filesystem::path& file, const std::string& actual) {
    if (std::getenv("HOLOS_UPDATE_EXPECTED") != nullptr) {
        std::error_code ec;
        if (actual.empty()) {
            std::filesystem::remove(file, ec);
        } else {
            std::ofstream(file) << actual;
        }
        return;
    }
    std::string expected = std::filesystem::exists(file) ? read_text(file) : "";
    EXPECT_EQ(actual, expected) << "for " << file;
}

// The imported file names absolute disks and ROM files; they are made under `root`, and the
// paths moved there, so the parser's checks that they exist can pass.
void expect_valid_compose(const Outcome& out) {
    testing_support::TempDir root;
    std::string yaml = out.yaml;
    for (std::size_t at = 0; (at = yaml.find(": \"/", at)) != std::string::npos; at += 3) {
        yaml.insert(at + 3, root.path().string());
    }
    for (const ImportedService& service : out.services) {
        std::vector<std::filesystem::path> paths = {service.image};
        for (const PciDevice& device : service.devices) {
            if (!device.rom_file.empty()) {
                paths.push_back(device.rom_file);
            }
        }
        for (const std::filesystem::path& path : paths) {
            std::filesystem::path made = root.path().string() + path.string();
            std::filesystem::create_directories(made.parent_path());
            std::ofstream(made) << "disk";
        }
    }
    ParseResult result = parse_project_text(yaml, "holos.yaml", root.path() / "holos.yaml");
    for (const Diagnostic& diagnostic : result.diagnostics) {
        EXPECT_NE(diagnostic.severity, Severity::error) << format_diagnostic(diagnostic);
    }
    EXPECT_TRUE(result.project.has_value());
}

class LibvirtImport : public ::testing::TestWithParam<std::string> {};

TEST_P(LibvirtImport, MapsTheDomainToTheExpectedComposeFileAndWarnings) {
    std::filesystem::path dir = kCases / GetParam();
    Outcome out = import_case(dir);
    expect_file(dir / "expected.yaml", out.yaml);
    expect_file(dir / "expected-warnings.txt", out.warnings);
    expect_file(dir / "expected-error.txt", out.errors);
    if (!out.yaml.empty()) {
        expect_valid_compose(out);
    }
}

std::vector<std::string> case_names() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(kCases)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

INSTANTIATE_TEST_SUITE_P(Cases, LibvirtImport, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return "case_" + name;
                         });

TEST(LibvirtBytes, KnowsEveryUnitLibvirtAllows) {
    struct Case {
        const char* unit;
        std::uint64_t bytes;
    };
    for (Case c :
         {Case{"b", 1}, Case{"bytes", 1}, Case{"KB", 1000}, Case{"k", 1024}, Case{"KiB", 1024},
          Case{"MB", 1000000}, Case{"M", 1ULL << 20}, Case{"MiB", 1ULL << 20},
          Case{"GB", 1000000000}, Case{"G", 1ULL << 30}, Case{"GiB", 1ULL << 30},
          Case{"TB", 1000000000000}, Case{"T", 1ULL << 40}, Case{"TiB", 1ULL << 40}}) {
        EXPECT_EQ(libvirt_bytes("3", c.unit), 3 * c.bytes) << c.unit;
    }
    EXPECT_EQ(libvirt_bytes("3", "kib"), std::nullopt);
    EXPECT_EQ(libvirt_bytes("1.5", "GiB"), std::nullopt);
    EXPECT_EQ(libvirt_bytes("99999999999999999", "EiB"), std::nullopt);
}

TEST(LibvirtImportErrors, SayWhatIsWrongWithTheXml) {
    EXPECT_EQ(import_domain("<network/>").error, "not a libvirt domain (no <domain> element)");
    EXPECT_EQ(import_domain("<domain>").error, "not valid XML: Start-end tags mismatch");
}

} // namespace
} // namespace holos
