#include "diagnostics.hpp"

#include <algorithm>

namespace holos {

std::string format_diagnostic(const Diagnostic& d) {
    std::string out = d.file;
    if (d.mark.line > 0) {
        out += ":" + std::to_string(d.mark.line) + ":" + std::to_string(d.mark.column);
    }
    out += ": ";
    if (d.severity == Severity::warning) {
        out += "warning: ";
    }
    if (!d.key_path.empty()) {
        out += d.key_path + ": ";
    }
    return out + d.message;
}

void Diagnostics::error(SourceMark mark, std::string key_path, std::string message) {
    diagnostics_.push_back(
        {Severity::error, file_, mark, std::move(key_path), std::move(message)});
}

void Diagnostics::warning(SourceMark mark, std::string key_path, std::string message) {
    diagnostics_.push_back(
        {Severity::warning, file_, mark, std::move(key_path), std::move(message)});
}

void Diagnostics::add(Diagnostic diagnostic) {
    diagnostics_.push_back(std::move(diagnostic));
}

bool Diagnostics::has_errors() const {
    return std::any_of(diagnostics_.begin(), diagnostics_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

} // namespace holos
