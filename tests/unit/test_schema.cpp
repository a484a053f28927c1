// lib/holos.schema.json against the parser: every mapping the parser reads through a table of
// allowed keys must have exactly those keys as properties in the schema, so editors that
// validate with the schema accept and reject what holos does.
#include "parse_keys.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace holos {
namespace {

using nlohmann::json;

const json& schema() {
    static const json loaded = [] {
        std::ifstream file(std::filesystem::path(HOLOS_SOURCE_DIR) / "lib" / "holos.schema.json");
        return json::parse(file);
    }();
    return loaded;
}

// "#/$defs/name" -> the schema it points at.
const json& resolve(const json& node) {
    if (!node.is_object() || !node.contains("$ref")) {
        return node;
    }
    return schema().at(json::json_pointer(node["$ref"].get<std::string>().substr(1)));
}

// The object schemas `node` allows: itself, and those among its anyOf/oneOf branches.
void object_schemas(const json& node, std::vector<const json*>& out) {
    const json& resolved = resolve(node);
    if (!resolved.is_object()) {
        return;
    }
    if (resolved.contains("properties") || resolved.contains("additionalProperties") ||
        resolved.contains("items")) {
        out.push_back(&resolved);
    }
    for (const char* combinator : {"anyOf", "oneOf"}) {
        if (resolved.contains(combinator)) {
            for (const json& branch : resolved[combinator]) {
                object_schemas(branch, out);
            }
        }
    }
}

// Splits "services.*.cloud_init.write_files[]" into "services", "*", "cloud_init",
// "write_files", "[]".
std::vector<std::string> steps(const std::string& path) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        if (!current.empty()) {
            out.push_back(current);
        }
        current.clear();
    };
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '.') {
            flush();
        } else if (path.compare(i, 2, "[]") == 0) {
            flush();
            out.push_back("[]");
            ++i;
        } else {
            current += path[i];
        }
    }
    flush();
    return out;
}

// The schemas of the mapping at a key-table path: one step at a time through properties,
// additionalProperties ("*") and items ("[]").
std::vector<const json*> schemas_at(const std::string& path) {
    std::vector<const json*> current;
    object_schemas(schema(), current);
    for (const std::string& step : steps(path)) {
        std::vector<const json*> next;
        for (const json* node : current) {
            if (step == "*" && node->contains("additionalProperties")) {
                object_schemas((*node)["additionalProperties"], next);
            } else if (step == "[]" && node->contains("items")) {
                object_schemas((*node)["items"], next);
            } else if (node->contains("properties") && (*node)["properties"].contains(step)) {
                object_schemas((*node)["properties"][step], next);
            }
        }
        current = std::move(next);
    }
    std::erase_if(current, [](const json* node) { return !node->contains("properties"); });
    return current;
}

std::string describe_tables() {
    std::string text;
    for (const parsing::KeyTableInfo& table : parsing::key_tables()) {
        text += "\"" + table.path + "\" ";
    }
    return text;
}

TEST(Schema, IsADraft2020_12Schema) {
    EXPECT_EQ(schema()["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

TEST(Schema, HasExactlyTheParsersKeysForEveryMapping) {
    ASSERT_FALSE(parsing::key_tables().empty());
    for (const parsing::KeyTableInfo& table : parsing::key_tables()) {
        SCOPED_TRACE("key table \"" + table.path + "\"");
        std::vector<const json*> found = schemas_at(table.path);
        ASSERT_EQ(found.size(), 1u) << "the schema has no single mapping at this path";
        std::set<std::string> schema_keys;
        for (const auto& [key, value] : (*found[0])["properties"].items()) {
            schema_keys.insert(key);
        }
        std::set<std::string> parser_keys(table.keys.begin(), table.keys.end());
        EXPECT_EQ(schema_keys, parser_keys);
    }
}

TEST(Schema, RejectsUnknownKeysWhereTheParserDoes) {
    for (const parsing::KeyTableInfo& table : parsing::key_tables()) {
        SCOPED_TRACE("key table \"" + table.path + "\"");
        for (const json* node : schemas_at(table.path)) {
            EXPECT_EQ(node->value("additionalProperties", json(true)), json(false));
        }
    }
}

TEST(Schema, AllowsExtensionKeysAtTheTopAndInServices) {
    for (const std::string path : {"", "services.*"}) {
        std::vector<const json*> found = schemas_at(path);
        ASSERT_EQ(found.size(), 1u) << path;
        EXPECT_TRUE((*found[0])["patternProperties"].contains("^x-")) << path;
    }
}

// Walks every "properties" in the schema, so a mapping the parser has no table for shows.
void count_mappings(const json& node, int& count) {
    if (node.is_object()) {
        count += node.contains("properties") ? 1 : 0;
        for (const auto& [key, value] : node.items()) {
            if (key != "properties") {
                count_mappings(value, count);
            } else {
                for (const auto& [name, property] : value.items()) {
                    count_mappings(property, count);
                }
            }
        }
    } else if (node.is_array()) {
        for (const json& item : node) {
            count_mappings(item, count);
        }
    }
}

TEST(Schema, DescribesNoMappingThatTheParserLacks) {
    int mappings = 0;
    count_mappings(schema(), mappings);
    EXPECT_EQ(static_cast<std::size_t>(mappings), parsing::key_tables().size())
        << "parser tables: " << describe_tables();
}

// Every property documents itself: editors show the description on hover.
void expect_descriptions(const json& node, const std::string& where) {
    if (!node.is_object()) {
        return;
    }
    if (node.contains("properties")) {
        for (const auto& [name, property] : node["properties"].items()) {
            EXPECT_TRUE(property.contains("description")) << where << "." << name;
        }
    }
    for (const auto& [key, value] : node.items()) {
        if (key == "properties") {
            for (const auto& [name, property] : value.items()) {
                expect_descriptions(property, where + "." + name);
            }
        } else if (value.is_array()) {
            for (const json& item : value) {
                expect_descriptions(item, where);
            }
        } else {
            expect_descriptions(value, where);
        }
    }
}

TEST(Schema, DescribesEveryProperty) {
    expect_descriptions(schema(), "");
}

} // namespace
} // namespace holos
