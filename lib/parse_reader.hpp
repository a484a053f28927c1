// The parser's shared machinery: the state of one parse, readers for scalars, and the walk
// over mappings through a table of allowed keys. Each section of holos.yaml (service, vm,
// cloud_init, ...) has its own file built on these.
#pragma once

#include "diagnostics.hpp"
#include "parse_interpolate.hpp"
#include "parse_tree.hpp"
#include "parse_values.hpp"
#include "project.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holos::parsing {

// Positions of a service's values that checks after the whole file is read report at.
struct ServiceNotes {
    Place at;                             // the service's mapping
    std::optional<Place> image;           // where "image" is, if given
    std::optional<Place> dockerfile;      // where "dockerfile" is, if given
    std::string dockerfile_from;          // the FROM argument, resolved like an image
    std::optional<Place> depends_on;      // the "depends_on" key
    std::vector<Place> dependency_places; // one per depends_on entry
    std::vector<bool> explicit_condition; // one per depends_on entry
    std::optional<Place> uefi_false;      // an explicit "uefi: false"
    std::vector<Place> device_places;     // one per device
};

// A reference to a named volume from a service, checked once top-level volumes are known.
struct VolumeReference {
    Place at;
    std::string name;
    std::string service;
    bool read_only = false;
};

// The state of one parse.
struct Parser {
    Parser(Diagnostics& diagnostics_, const VariableMap& variables_, std::filesystem::path base)
        : diagnostics(diagnostics_), variables(variables_), base_dir(std::move(base)) {}

    Diagnostics& diagnostics;
    const VariableMap& variables;
    InterpolationTrace trace;
    std::filesystem::path base_dir;
    std::vector<Place> port_places;  // one per PortMapping, in project order
    std::vector<ServiceNotes> notes; // one per service, in project order
    std::vector<VolumeReference> volume_references;
    std::optional<Place> subnet_place; // network.subnet, when given and valid
};

void error(Parser& parser, const Place& at, std::string message);
void warning(Parser& parser, const Place& at, std::string message);
std::string describe(const Node& node);
void type_error(Parser& parser, const Place& at, std::string_view expected, const Node& node);
std::string join_path(const std::string& parent, std::string_view key);

// ---- scalars: each reports its own errors and returns nullopt after one -------------------

// A scalar's text after interpolation, taken as written: no type checks.
std::optional<std::string> interpolated(Parser& parser, const Node& scalar, const Place& at);
// A string that YAML 1.1 tools would not read as a boolean.
std::optional<std::string> read_string(Parser& parser, const Node& node, const Place& at);
std::optional<std::string> read_nonempty_string(Parser& parser, const Node& node, const Place& at);
std::optional<long long> read_integer(Parser& parser, const Node& node, const Place& at,
                                      long long min, long long max);
// Only true or false, unquoted.
std::optional<bool> read_bool(Parser& parser, const Node& node, const Place& at);
// A size in bytes; `written`, when given, receives the text after interpolation, for errors
// about the value.
std::optional<std::uint64_t> read_size(Parser& parser, const Node& node, const Place& at,
                                       std::string* written = nullptr);
// A duration in milliseconds; `allow_zero` for periods that may be skipped entirely.
std::optional<std::int64_t> read_duration(Parser& parser, const Node& node, const Place& at,
                                          bool allow_zero);
// One of `choices`, exactly.
std::optional<std::string> read_choice(Parser& parser, const Node& node, const Place& at,
                                       const std::vector<std::string_view>& choices);
// A path relative to the compose directory (or absolute) naming an existing regular file;
// returned absolute and normalised.
std::optional<std::filesystem::path> read_existing_file(Parser& parser, const Node& node,
                                                        const Place& at);
// The same check for a path already read; reports and returns nullopt if it is missing.
std::optional<std::filesystem::path> existing_file(Parser& parser, const std::string& path,
                                                   const Place& at);

// ---- mappings and lists --------------------------------------------------------------------

// Calls visit(item, item_at) for each item; an empty value counts as an empty list.
template <typename Visit>
void for_each_item(Parser& parser, const Node& node, const Place& at, Visit visit) {
    if (node.is_null()) {
        return;
    }
    if (!node.is_sequence()) {
        type_error(parser, at, "a list", node);
        return;
    }
    for (std::size_t index = 0; index < node.items.size(); ++index) {
        const Node& item = node.items[index];
        visit(item, Place{item.mark, at.path + "[" + std::to_string(index) + "]"});
    }
}

void read_string_list(Parser& parser, const Node& node, const Place& at,
                      std::vector<std::string>& out);

using PairVisitor = std::function<void(const std::string& key, const Place& key_at,
                                       const Node& value, const Place& value_at)>;

// Calls `visit` for each pair of a mapping, reporting non-string and duplicate keys; an empty
// value counts as an empty mapping. key_at points at the key with the mapping's path; value_at
// at a scalar value itself, else at the key, with the key's path. Returns false if the node is
// not a mapping.
bool for_each_pair(Parser& parser, const Node& node, const Place& at, const PairVisitor& visit);

void unknown_key(Parser& parser, const Place& key_at, std::string_view key,
                 const std::vector<std::string_view>& known);

enum class Required { no, yes };

// One allowed key of a mapping that is read into a T.
template <typename T> struct Field {
    std::string_view key;
    void (*read)(Parser&, const Node&, const Place&, T&);
    Required required = Required::no;
};

// Compose convention: keys starting with "x-" hold the user's own data (often anchors to
// reuse), so the top level and services skip them instead of rejecting them.
enum class Extensions { rejected, ignored };

template <typename T, std::size_t N> std::vector<std::string> keys_of(const Field<T> (&fields)[N]) {
    std::vector<std::string> keys;
    for (const Field<T>& field : fields) {
        keys.emplace_back(field.key);
    }
    return keys;
}

// Reads a mapping through its table of fields; returns the keys that were present.
template <typename T, std::size_t N>
std::vector<std::string_view> read_fields(Parser& parser, const Node& node, const Place& at,
                                          const Field<T> (&fields)[N], T& out,
                                          Extensions extensions = Extensions::rejected) {
    std::vector<std::string_view> known;
    for (const Field<T>& field : fields) {
        known.push_back(field.key);
    }
    std::vector<std::string_view> present;
    auto visit = [&](const std::string& key, const Place& key_at, const Node& value,
                     const Place& value_at) {
        auto field = std::find(known.begin(), known.end(), key);
        if (field == known.end()) {
            if (extensions == Extensions::rejected || !key.starts_with("x-")) {
                unknown_key(parser, key_at, key, known);
            }
            return;
        }
        present.push_back(*field);
        fields[field - known.begin()].read(parser, value, value_at, out);
    };
    bool is_mapping = for_each_pair(parser, node, at, visit);
    for (const Field<T>& field : fields) {
        bool missing = std::find(present.begin(), present.end(), field.key) == present.end();
        if (is_mapping && field.required == Required::yes && missing) {
            error(parser, at, "missing required key \"" + std::string(field.key) + "\"");
        }
    }
    return present;
}

inline bool contains(const std::vector<std::string_view>& keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

} // namespace holos::parsing
