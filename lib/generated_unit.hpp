// Pieces every generated unit shares: the "generated from" header and the command line of
// the holos-instance helper. Kept apart so each kind of unit can live in its own file.
#pragma once

#include "unit_file.hpp"
#include "unit_graph.hpp"

#include <string>
#include <vector>

namespace holos {

// The comment block at the top of every generated file.
std::string generated_header(const GraphContext& context);

// A holos-instance command line; with `for_instance`, the instance number is appended as
// the %i specifier, which must stay unescaped so systemd substitutes it.
std::string helper_command(const GraphContext& context, const std::vector<std::string>& args,
                           bool for_instance = false);

// A unit's description: "holos project P: TEXT" with TEXT escaped, then `raw_suffix`
// verbatim (for specifiers such as "-%i").
std::string unit_description(const Project& project, const std::string& text,
                             const std::string& raw_suffix = "");

// Opens the [Unit] section the way every unit of a project opens it: its description, the
// man page, and SourcePath= naming the compose file, so `systemctl status` leads back to it.
UnitFileBuilder& open_unit_section(UnitFileBuilder& unit, const GraphContext& context,
                                   const std::string& description);

// Whole seconds, rounded up: systemd's timeouts here take seconds.
std::int64_t seconds_rounded_up(std::int64_t milliseconds);

} // namespace holos
