// Plain-text tables for holosctl's listings: columns padded to their widest cell.
#pragma once

#include <string>
#include <vector>

namespace holos::ctl {

using Row = std::vector<std::string>;

// Prints `rows` (the first is usually the header) to stdout, two spaces between columns.
void print_table(const std::vector<Row>& rows);

} // namespace holos::ctl
