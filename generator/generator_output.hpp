// Putting a UnitSet on disk (or on stdout for --dry-run).
#pragma once

#include "unit_graph.hpp"

#include <filesystem>
#include <ostream>

namespace holos {

// Writes every file and symlink below `dir`, each atomically. Throws Error.
void write_units(const std::filesystem::path& dir, const UnitSet& units);

// Each file under a "==> NAME <==" line, then each link as "==> NAME -> TARGET <==".
void print_units(std::ostream& out, const UnitSet& units);

} // namespace holos
