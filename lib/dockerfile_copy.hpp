// COPY in a Dockerfile: its options, its sources (files, directories, "*" patterns and
// heredocs), all checked to stay inside the build context, and what lands where in the guest.
#pragma once

#include "dockerfile_build.hpp"
#include "dockerfile_lexer.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace holos::parsing {

struct CopyRequest {
    std::filesystem::path context;
    char escape = '\\';
    std::uint64_t budget_bytes = 0; // what is left of kMaxDockerfileCopyBytes
};

struct CopyResult {
    std::vector<CopiedItem> items;
    std::string owner;       // --chown, a shell word
    std::uint64_t bytes = 0; // of the files copied
    std::string problem;     // set: the instruction is wrong, and nothing else is
};

CopyResult read_copy_instruction(const CopyRequest& request,
                                 const dockerfile::Instruction& instruction);

// Whether `path`, symbolic links resolved, lies inside `context` (already canonical).
bool inside_context(const std::filesystem::path& context, const std::filesystem::path& path);

} // namespace holos::parsing
