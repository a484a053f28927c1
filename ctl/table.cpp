#include "table.hpp"

#include <algorithm>
#include <iostream>

namespace holos::ctl {

void print_table(const std::vector<Row>& rows) {
    std::vector<size_t> widths;
    for (const Row& row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    for (const Row& row : rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            std::string cell = row[i];
            if (i + 1 < row.size()) {
                cell.resize(widths[i] + 2, ' ');
            }
            line += cell;
        }
        std::cout << line << "\n";
    }
}

} // namespace holos::ctl
