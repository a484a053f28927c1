#include "generator_output.hpp"

#include "atomic_file.hpp"
#include "error.hpp"

#include <cerrno>
#include <unistd.h>

namespace holos {
namespace {

void make_parent(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
        throw Error("creating " + path.parent_path().string() + ": " + ec.message());
    }
}

void write_link(const std::filesystem::path& path, const std::string& target) {
    std::string temp = path.string() + ".tmp";
    ::unlink(temp.c_str());
    if (::symlink(target.c_str(), temp.c_str()) < 0) {
        throw system_error("linking " + path.string(), errno);
    }
    if (::rename(temp.c_str(), path.c_str()) < 0) {
        int saved = errno;
        ::unlink(temp.c_str());
        throw system_error("linking " + path.string(), saved);
    }
}

} // namespace

void write_units(const std::filesystem::path& dir, const UnitSet& units) {
    for (const GeneratedFile& file : units.files) {
        std::filesystem::path path = dir / file.path;
        make_parent(path);
        write_file_atomic(path, file.content, 0644);
    }
    for (const GeneratedLink& link : units.links) {
        std::filesystem::path path = dir / link.path;
        make_parent(path);
        write_link(path, link.target);
    }
}

void print_units(std::ostream& out, const UnitSet& units) {
    for (const GeneratedFile& file : units.files) {
        out << "==> " << file.path << " <==\n" << file.content << "\n";
    }
    for (const GeneratedLink& link : units.links) {
        out << "==> " << link.path << " -> " << link.target << " <==\n";
    }
}

} // namespace holos
