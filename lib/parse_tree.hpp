// The YAML tree the parser reads: yaml-cpp's nodes copied into plain values, with aliases
// expanded and merge keys ("<<: *base") applied, which yaml-cpp 0.7 leaves to its users.
#pragma once

#include "diagnostics.hpp"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace holos::parsing {

struct Node {
    enum class Kind { null, scalar, sequence, mapping };
    Kind kind = Kind::null;
    SourceMark mark;
    std::string text;        // a scalar as written, before interpolation
    std::string tag;         // "?" for plain scalars, "!" for quoted ones, else an explicit tag
    std::vector<Node> items; // a sequence
    std::vector<std::pair<Node, Node>> pairs; // a mapping, in file order

    // Declared here and defaulted below: std::pair<Node, Node> needs Node complete, which
    // clang's checks of the implicit members enforce inside the class already.
    Node();
    ~Node();
    Node(const Node&);
    Node(Node&&) noexcept;
    Node& operator=(const Node&);
    Node& operator=(Node&&) noexcept;

    bool is_null() const { return kind == Kind::null; }
    bool is_scalar() const { return kind == Kind::scalar; }
    bool is_sequence() const { return kind == Kind::sequence; }
    bool is_mapping() const { return kind == Kind::mapping; }
    // Unquoted and untagged: the scalars YAML resolvers guess a type for.
    bool is_plain() const { return kind == Kind::scalar && tag == "?"; }
};

inline Node::Node() = default;
inline Node::~Node() = default;
inline Node::Node(const Node&) = default;
inline Node::Node(Node&&) noexcept = default;
inline Node& Node::operator=(const Node&) = default;
inline Node& Node::operator=(Node&&) noexcept = default;

// Copies `root` into a Node tree. Merge keys are replaced by the pairs they bring in: keys
// written in the mapping win over merged ones, and earlier merge sources win over later ones.
// Problems (a merge of a non-mapping, alias bombs, self-referencing anchors) are reported.
std::optional<Node> build_tree(const YAML::Node& root, Diagnostics& diagnostics);

} // namespace holos::parsing
