// Diagnostics for user-written files. Every problem is collected, then all are shown at once,
// each as "file:line:column: key.path: message" (1-based line and column).
#pragma once

#include <string>
#include <vector>

namespace holos {

enum class Severity { error, warning };

// A position in a source file; line 0 means the position is unknown.
struct SourceMark {
    int line = 0;
    int column = 0;
};

struct Diagnostic {
    Severity severity = Severity::error;
    std::string file;
    SourceMark mark;
    std::string key_path; // "services.web.ports[0]"; empty for file-level problems
    std::string message;  // lowercase, user values in double quotes
};

// "holos.yaml:7:9: services.web.ports[0]: expected ..." ("warning: " after the location for
// warnings).
std::string format_diagnostic(const Diagnostic& diagnostic);

class Diagnostics {
public:
    explicit Diagnostics(std::string file) : file_(std::move(file)) {}

    void error(SourceMark mark, std::string key_path, std::string message);
    void warning(SourceMark mark, std::string key_path, std::string message);
    // One about another file (a Dockerfile the compose file names).
    void add(Diagnostic diagnostic);

    bool has_errors() const;
    const std::vector<Diagnostic>& all() const { return diagnostics_; }
    const std::string& file() const { return file_; }

private:
    std::string file_;
    std::vector<Diagnostic> diagnostics_;
};

} // namespace holos
