// A mount's source is a path only when it looks like one ("/", "./", "../"); anything else
// names a volume. Compose does the same, and it keeps "data:/x" from silently becoming a bind
// mount of a directory called "data" when the user forgot to declare the volume.
#include "parse_volumes.hpp"

#include "parse_sizes.hpp"

#include <algorithm>
#include <map>

namespace holos::parsing {
namespace {

constexpr const char* kDnsLabelRule =
    "(lowercase letters, digits and \"-\", at most 63 characters, no \"-\" at either end)";

void read_volume_size(Parser& parser, const Node& node, const Place& at, NamedVolume& volume) {
    if (std::optional<std::uint64_t> size = read_size(parser, node, at)) {
        volume.size_bytes = *size;
    }
}

constexpr Field<NamedVolume> kNamedVolumeFields[] = {
    {"size", read_volume_size},
};

bool looks_like_path(std::string_view source) {
    return source.starts_with('/') || source.starts_with("./") || source.starts_with("../") ||
           source == "." || source == "..";
}

// "SOURCE:TARGET[:MODE]" into its parts, or nothing after reporting.
std::optional<VolumeMount> parse_mount(Parser& parser, const std::string& text, const Place& at) {
    std::vector<std::string> parts;
    for (std::size_t start = 0, end = 0; end != std::string::npos; start = end + 1) {
        end = text.find(':', start);
        parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    }
    if (parts.size() < 2 || parts.size() > 3 || parts[0].empty()) {
        error(parser, at, "expected \"SOURCE:TARGET\" or \"SOURCE:TARGET:ro\", got " + quote(text));
        return std::nullopt;
    }
    VolumeMount mount;
    mount.source = parts[0];
    mount.target = parts[1];
    std::string mode = parts.size() == 3 ? parts[2] : "rw";
    if (mode != "ro" && mode != "rw") {
        error(parser, at, "unknown mode " + quote(mode) + ", expected \"ro\" or \"rw\"");
        return std::nullopt;
    }
    mount.read_only = mode == "ro";
    if (!mount.target.starts_with('/')) {
        error(parser, at,
              "expected an absolute target path in the guest, got " + quote(mount.target));
        return std::nullopt;
    }
    return mount;
}

// Makes a bind source absolute and checks it exists, or records a named volume reference.
bool resolve_source(Parser& parser, VolumeMount& mount, const Place& at) {
    if (mount.source.starts_with('~')) {
        error(parser, at,
              quote(mount.source) + ": \"~\" is not expanded, write the path relative to the "
                                    "compose file or absolute");
        return false;
    }
    if (!looks_like_path(mount.source)) {
        if (mount.source.find('/') != std::string::npos || !is_dns_label(mount.source)) {
            error(parser, at,
                  "source " + quote(mount.source) +
                      " is neither a path nor a volume name: start a relative path with \"./\"");
            return false;
        }
        mount.kind = VolumeMount::Kind::named;
        parser.volume_references.push_back({at, mount.source});
        return true;
    }
    std::filesystem::path absolute = (parser.base_dir / mount.source).lexically_normal();
    if (!absolute.has_filename() && absolute.has_parent_path()) {
        absolute = absolute.parent_path(); // "./" normalises to "dir/"
    }
    std::error_code ec;
    if (!std::filesystem::exists(absolute, ec)) {
        error(parser, at,
              "bind source " + quote(mount.source) + " does not exist (looked for " +
                  quote(absolute.string()) + ")");
        return false;
    }
    mount.kind = VolumeMount::Kind::bind;
    mount.source = absolute.string();
    return true;
}

} // namespace

void read_project_volumes(Parser& parser, const Node& node, const Place& at, Project& project) {
    for_each_pair(parser, node, at,
                  [&](const std::string& name, const Place& name_at, const Node& value,
                      const Place& value_at) {
                      if (!is_dns_label(name)) {
                          error(parser, name_at,
                                "volume name " + quote(name) + " is not a DNS label " +
                                    kDnsLabelRule);
                      }
                      NamedVolume volume;
                      volume.name = name;
                      read_fields(parser, value, value_at, kNamedVolumeFields, volume);
                      project.volumes.push_back(std::move(volume));
                  });
}

void read_service_volumes(Parser& parser, const Node& node, const Place& at, Service& service) {
    std::map<std::string, std::string> targets; // target -> the path of its first mount
    for_each_item(parser, node, at, [&](const Node& item, const Place& item_at) {
        if (item.is_mapping()) {
            error(parser, item_at,
                  "the long form of a volume is not supported, write \"SOURCE:TARGET[:ro]\"");
            return;
        }
        std::optional<std::string> text = read_nonempty_string(parser, item, item_at);
        std::optional<VolumeMount> mount =
            text ? parse_mount(parser, *text, item_at) : std::nullopt;
        if (!mount || !resolve_source(parser, *mount, item_at)) {
            return;
        }
        auto [first, inserted] = targets.emplace(mount->target, item_at.path);
        if (!inserted) {
            error(parser, item_at,
                  "target " + quote(mount->target) + " is already mounted by " + first->second);
            return;
        }
        service.volumes.push_back(std::move(*mount));
    });
}

void check_volume_references(Parser& parser, const Project& project) {
    std::string declared;
    for (const NamedVolume& volume : project.volumes) {
        declared += (declared.empty() ? "" : ", ") + quote(volume.name);
    }
    for (const VolumeReference& reference : parser.volume_references) {
        bool found = std::any_of(project.volumes.begin(), project.volumes.end(),
                                 [&](const NamedVolume& v) { return v.name == reference.name; });
        if (!found) {
            error(parser, reference.at,
                  "volume " + quote(reference.name) +
                      " is not declared under the top-level \"volumes\" (" +
                      (declared.empty() ? "none is declared" : "declared: " + declared) + ")");
        }
    }
}

std::vector<std::string> named_volume_keys() {
    return keys_of(kNamedVolumeFields);
}

} // namespace holos::parsing
