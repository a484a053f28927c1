// holosctl import: libvirt domains to holos.yaml. The XML comes from files (--xml) or from
// `virsh dumpxml` for named domains (--all: every defined one); the result goes to stdout or,
// atomically, to -o FILE. What does not map onto holos is one warning line each on stderr.

#include "verbs.hpp"

#include "atomic_file.hpp"
#include "error.hpp"
#include "libvirt_import.hpp"
#include "process.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <sstream>
#include <unistd.h>

namespace holos::ctl {
namespace {

struct ImportOptions {
    std::vector<std::string> domains;
    std::vector<std::string> xml_files;
    bool all = false;
    std::string connect;
    std::string output;
};

std::string find_virsh() {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::string candidate = dir + "/virsh";
        if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    throw Failure("import: virsh is not installed (Debian package libvirt-clients); give the "
                  "domain XML with --xml FILE instead (virsh dumpxml NAME > FILE elsewhere)");
}

std::string virsh(const ImportOptions& options, std::vector<std::string> args) {
    std::vector<std::string> argv = {find_virsh()};
    if (!options.connect.empty()) {
        argv.insert(argv.end(), {"--connect", options.connect});
    }
    argv.insert(argv.end(), args.begin(), args.end());
    CommandResult result = run_command(argv);
    if (result.exit_code != 0) {
        std::string output = result.output.substr(0, result.output.find_last_not_of("\n") + 1);
        throw Failure("import: virsh " + args.front() + " failed: " + output);
    }
    return result.output;
}

struct Source {
    std::string label; // the file or domain name, for messages
    std::string xml;
};

std::vector<Source> gather(const ImportOptions& options) {
    std::vector<Source> sources;
    for (const std::string& file : options.xml_files) {
        try {
            sources.push_back({file, read_file(file)});
        } catch (const Error& e) {
            throw Failure(std::string("import: ") + e.what());
        }
    }
    std::vector<std::string> names = options.domains;
    if (options.all) {
        std::istringstream listed(virsh(options, {"list", "--all", "--name"}));
        for (std::string name; std::getline(listed, name);) {
            if (!name.empty()) {
                names.push_back(name);
            }
        }
    }
    for (const std::string& name : names) {
        sources.push_back({name, virsh(options, {"dumpxml", "--inactive", name})});
    }
    if (sources.empty()) {
        throw Failure("import: name a domain, or give --all or --xml FILE", kExitUsage);
    }
    return sources;
}

int run_import(const ImportOptions& options) {
    std::vector<ImportedService> services;
    std::vector<std::string> errors;
    for (const Source& source : gather(options)) {
        DomainImport imported = import_domain(source.xml);
        std::string who = imported.service ? imported.service->domain : source.label;
        for (const std::string& warning : imported.warnings) {
            std::cerr << "holosctl: warning: " << who << ": " << warning << "\n";
        }
        if (!imported.service) {
            errors.push_back(source.label + ": " + imported.error);
            continue;
        }
        services.push_back(std::move(*imported.service));
    }
    for (const std::string& error : errors) {
        std::cerr << "holosctl: import: " << error << "\n";
    }
    if (!errors.empty()) {
        throw Failure("import: nothing written");
    }
    std::string text = imported_compose_text(services);
    if (options.output.empty() || options.output == "-") {
        std::cout << text;
        return kExitOk;
    }
    write_file_atomic(options.output, text, 0644);
    std::cerr << "holosctl: wrote " << options.output << "; check it with holosctl validate -f "
              << options.output << "\n";
    return kExitOk;
}

} // namespace

VerbRun setup_import(CLI::App& command, const GlobalOptions&) {
    auto options = std::make_shared<ImportOptions>();
    command.add_option("domain", options->domains, "libvirt domains to import (needs virsh)");
    command.add_flag("--all", options->all, "import every domain virsh lists");
    command.add_option("--xml", options->xml_files, "read domain XML from FILE (repeatable)")
        ->type_name("FILE");
    command.add_option("--connect,-c", options->connect, "libvirt connection URI for virsh")
        ->type_name("URI");
    command.add_option("-o,--output", options->output, "write holos.yaml to FILE, not stdout")
        ->type_name("FILE");
    return [options] { return run_import(*options); };
}

} // namespace holos::ctl
