#include "parse_document.hpp"

#include "parse_values.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace holos::parsing {
namespace {

void error(Diagnostics& diagnostics, const YAML::Mark& mark, std::string message) {
    diagnostics.error(to_source_mark(mark), "", std::move(message));
}

// yaml-cpp's message for a tab in the indentation ("illegal map value") does not say why.
std::string syntax_hint(std::string_view text, const YAML::Mark& mark) {
    std::string_view line = text;
    for (int i = 0; i < mark.line && line.find('\n') != std::string_view::npos; ++i) {
        line.remove_prefix(line.find('\n') + 1);
    }
    std::string_view indent = line.substr(0, line.find_first_not_of(" \t"));
    return indent.find('\t') == std::string_view::npos ? "" : " (indent with spaces, not tabs)";
}

// Records where documents start, without building them. yaml-cpp 0.7 can stall on a token it
// cannot place at the top of a document (a lone ","): it then reports the same empty document
// forever, and YAML::LoadAll collects those until memory runs out. So we walk the documents
// ourselves, and a document starting where the previous one started means yaml-cpp is stuck.
class DocumentStarts : public YAML::EventHandler {
public:
    std::vector<YAML::Mark> marks;

    void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

bool is_stuck(const DocumentStarts& starts) {
    std::size_t n = starts.marks.size();
    return n >= 2 && starts.marks[n - 1].pos == starts.marks[n - 2].pos;
}

// Reports a stream without exactly one document; throws YAML::Exception for syntax errors.
// Reads up to three documents: a stuck parser shows within one document of the token it
// stalls on, and a genuine second document needs reporting whatever follows it.
bool check_one_document(Diagnostics& diagnostics, std::string_view text) {
    std::istringstream stream{std::string(text)};
    YAML::Parser events(stream);
    DocumentStarts starts;
    while (starts.marks.size() < 3 && !is_stuck(starts) && events.HandleNextDocument(starts)) {
    }
    if (is_stuck(starts)) {
        const YAML::Mark& mark = starts.marks.back();
        std::size_t pos = std::min(static_cast<std::size_t>(std::max(mark.pos, 0)), text.size());
        error(diagnostics, mark, "invalid YAML: unexpected " + quote(text.substr(pos, 1)));
        return false;
    }
    if (starts.marks.size() >= 2) {
        error(diagnostics, starts.marks[1], "expected a single YAML document, found a second one");
        return false;
    }
    return true;
}

} // namespace

SourceMark to_source_mark(const YAML::Mark& mark) {
    if (mark.line < 0 || mark.column < 0) {
        return {};
    }
    return {mark.line + 1, mark.column + 1};
}

std::optional<YAML::Node> load_document(std::string_view text, Diagnostics& diagnostics) {
    YAML::Node root;
    try {
        if (!check_one_document(diagnostics, text)) {
            return std::nullopt;
        }
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        error(diagnostics, e.mark, "invalid YAML: " + e.msg + syntax_hint(text, e.mark));
        return std::nullopt;
    }
    if (root.IsNull()) {
        diagnostics.error({}, "", "the file is empty, expected a mapping with \"services\"");
        return std::nullopt;
    }
    return root;
}

} // namespace holos::parsing
