// Copying yaml-cpp's tree into our own lets us apply merge keys once, before any reader runs,
// and keep a position on every node. Aliases are copied too, so a file whose aliases nest
// ("billion laughs") or refer to themselves would grow without end: both are capped.
#include "parse_tree.hpp"

#include "parse_document.hpp"
#include "parse_values.hpp"

#include <set>

namespace holos::parsing {
namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxNodes = 20'000;

struct Builder {
    Diagnostics& diagnostics;
    std::size_t nodes = 0;
    bool too_big = false;
};

std::string child_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

bool is_merge_key(const Node& key) {
    return key.is_plain() && key.text == "<<";
}

std::optional<Node> build(Builder& builder, const YAML::Node& node, const std::string& path,
                          int depth);

// The mappings a merge key's value names, or nothing after reporting why not.
std::vector<const Node*> merge_sources(Builder& builder, const Node& key, const Node& value,
                                       const std::string& path) {
    std::vector<const Node*> sources;
    if (value.is_mapping()) {
        sources.push_back(&value);
    }
    for (const Node& item : value.items) {
        if (item.is_mapping()) {
            sources.push_back(&item);
        }
    }
    bool all_mappings =
        value.is_mapping() || (value.is_sequence() && value.items.size() == sources.size());
    if (!all_mappings || sources.empty()) {
        builder.diagnostics.error(key.mark, child_path(path, "<<"),
                                  "a merge key needs a mapping or a list of mappings, like "
                                  "\"<<: *base\" or \"<<: [*a, *b]\"");
        return {};
    }
    return sources;
}

// Applies merge keys: explicit keys first collected, then each "<<" replaced in place by the
// merged pairs that no explicit key and no earlier source already set.
Node merge(Builder& builder, Node mapping, const std::string& path) {
    std::set<std::string> taken;
    bool has_merge = false;
    for (const auto& [key, value] : mapping.pairs) {
        has_merge = has_merge || is_merge_key(key);
        if (key.is_scalar() && !is_merge_key(key)) {
            taken.insert(key.text);
        }
    }
    if (!has_merge) {
        return mapping;
    }
    std::vector<std::pair<Node, Node>> pairs;
    for (auto& pair : mapping.pairs) {
        if (!is_merge_key(pair.first)) {
            pairs.push_back(std::move(pair));
            continue;
        }
        for (const Node* source : merge_sources(builder, pair.first, pair.second, path)) {
            for (const auto& merged : source->pairs) {
                if (!merged.first.is_scalar() || taken.insert(merged.first.text).second) {
                    pairs.push_back(merged);
                }
            }
        }
    }
    mapping.pairs = std::move(pairs);
    return mapping;
}

bool count_node(Builder& builder, const YAML::Node& node, int depth) {
    if (++builder.nodes <= kMaxNodes && depth <= kMaxDepth) {
        return true;
    }
    if (!builder.too_big) {
        builder.diagnostics.error(to_source_mark(node.Mark()), "",
                                  "the file nests or repeats aliases too deeply (more than " +
                                      std::to_string(kMaxDepth) + " levels or " +
                                      std::to_string(kMaxNodes) + " values)");
        builder.too_big = true;
    }
    return false;
}

std::optional<Node> build(Builder& builder, const YAML::Node& node, const std::string& path,
                          int depth) {
    if (!count_node(builder, node, depth)) {
        return std::nullopt;
    }
    Node out;
    out.mark = to_source_mark(node.Mark());
    switch (node.Type()) {
    case YAML::NodeType::Scalar:
        out.kind = Node::Kind::scalar;
        out.text = node.Scalar();
        out.tag = node.Tag();
        return out;
    case YAML::NodeType::Sequence:
        out.kind = Node::Kind::sequence;
        for (std::size_t i = 0; i < node.size(); ++i) {
            std::optional<Node> item =
                build(builder, node[i], path + "[" + std::to_string(i) + "]", depth + 1);
            if (!item) {
                return std::nullopt;
            }
            out.items.push_back(std::move(*item));
        }
        return out;
    case YAML::NodeType::Map:
        out.kind = Node::Kind::mapping;
        for (const auto& pair : node) {
            std::optional<Node> key = build(builder, pair.first, path, depth + 1);
            std::string key_text = key && key->is_scalar() ? key->text : "?";
            std::optional<Node> value =
                key ? build(builder, pair.second, child_path(path, key_text), depth + 1)
                    : std::nullopt;
            if (!value) {
                return std::nullopt;
            }
            out.pairs.emplace_back(std::move(*key), std::move(*value));
        }
        return merge(builder, std::move(out), path);
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return out;
}

} // namespace

std::optional<Node> build_tree(const YAML::Node& root, Diagnostics& diagnostics) {
    Builder builder{diagnostics};
    return build(builder, root, "", 0);
}

} // namespace holos::parsing
