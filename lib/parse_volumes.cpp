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

// The guest finds a volume by its disk serial, "vol-NAME", and virtio-blk keeps 20 bytes.
constexpr std::size_t kMaxVolumeName = 16;

void read_volume_size(Parser& parser, const Node& node, const Place& at, NamedVolume& volume) {
    if (std::optional<std::uint64_t> size = read_size(parser, node, at)) {
        volume.size_bytes = *size;
    }
}

constexpr Field<NamedVolume> kNamedVolumeFields[] = {
    {"size", read_volume_size},
};

bool has_control_character(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u < ' ' || u == 0x7f;
    });
}

// "/", and the kernel's and the boot's own directories: a mount over one of them takes the
// guest's system away before cloud-init has finished.
bool is_system_directory(std::string_view target) {
    std::string path(target);
    while (path.size() > 1 && path.ends_with('/')) {
        path.pop_back();
    }
    for (const char* system : {"/", "/proc", "/sys", "/dev", "/run", "/boot", "/etc", "/usr",
                               "/bin", "/sbin", "/lib", "/lib64", "/var", "/var/lib"}) {
        if (path == system) {
            return true;
        }
    }
    return path.starts_with("/proc/") || path.starts_with("/sys/") || path.starts_with("/dev/");
}

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
    if (has_control_character(mount.target)) {
        error(parser, at, "the target path contains a control character");
        return std::nullopt;
    }
    if (!mount.target.starts_with('/')) {
        error(parser, at,
              "expected an absolute target path in the guest, got " + quote(mount.target));
        return std::nullopt;
    }
    if (is_system_directory(mount.target)) {
        error(parser, at,
              "cannot mount over " + quote(mount.target) +
                  ": the guest's own system lives there; choose a directory of your own");
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
    if (!std::filesystem::is_directory(absolute, ec)) {
        error(parser, at,
              "bind source " + quote(mount.source) +
                  " is not a directory; a bind mount shares a directory (virtiofs)");
        return false;
    }
    // Unit files cannot carry these in the paths virtiofsd is given.
    if (absolute.string().find_first_of("\"\\") != std::string::npos ||
        has_control_character(absolute.string())) {
        error(parser, at,
              "bind source " + quote(absolute.string()) +
                  " contains a quote, a backslash or a control character, which holos cannot "
                  "pass to virtiofsd");
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
                      } else if (name.size() > kMaxVolumeName) {
                          error(parser, name_at,
                                "volume name " + quote(name) + " is longer than " +
                                    std::to_string(kMaxVolumeName) +
                                    " characters; the guest finds the volume by the disk "
                                    "serial \"vol-NAME\", which holds 20");
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
        if (mount->kind == VolumeMount::Kind::named) {
            parser.volume_references.push_back(
                {item_at, mount->source, service.name, mount->read_only});
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

namespace {

int replicas_of(const Project& project, const std::string& service) {
    const Service* found = find_service(project, service);
    return found ? found->replicas : 1;
}

// One QEMU may write a volume, and then no other may open it: QEMU locks the image, and two
// guests mounting one ext4 filesystem would corrupt it. Read-only, any number may share it.
void check_volume_sharing(Parser& parser, const Project& project,
                          const std::string& volume) {
    int writers = 0, readers = 0;
    std::vector<std::string> users;
    for (const VolumeReference& reference : parser.volume_references) {
        if (reference.name != volume) {
            continue;
        }
        int instances = replicas_of(project, reference.service);
        (reference.read_only ? readers : writers) += instances;
        users.push_back(reference.service + (reference.read_only ? " (ro)" : ""));
    }
    if (writers == 0 || writers + readers == 1) {
        return;
    }
    std::string list;
    for (const std::string& user : users) {
        list += (list.empty() ? "" : ", ") + user;
    }
    const VolumeReference& first_writer =
        *std::find_if(parser.volume_references.begin(), parser.volume_references.end(),
                      [&](const VolumeReference& r) { return r.name == volume && !r.read_only; });
    error(parser, first_writer.at,
          "volume " + quote(volume) + " would be opened by " + std::to_string(writers + readers) +
              " instances (" + list + ") while one of them writes it; a volume can be mounted "
              "read-write by one instance only, or read-only (\":ro\") by any number");
}

} // namespace

void check_volume_sharing(Parser& parser, const Project& project) {
    for (const NamedVolume& volume : project.volumes) {
        check_volume_sharing(parser, project, volume.name);
    }
}

std::vector<std::string> named_volume_keys() {
    return keys_of(kNamedVolumeFields);
}

} // namespace holos::parsing
