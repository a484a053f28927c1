// The setup function of every holosctl verb (one verb_*.cpp file each).
#pragma once

#include "context.hpp"

namespace holos::ctl {

VerbRun setup_up(CLI::App& command, const GlobalOptions& global);
VerbRun setup_diff(CLI::App& command, const GlobalOptions& global);
VerbRun setup_down(CLI::App& command, const GlobalOptions& global);
VerbRun setup_ps(CLI::App& command, const GlobalOptions& global);
VerbRun setup_port(CLI::App& command, const GlobalOptions& global);
VerbRun setup_config(CLI::App& command, const GlobalOptions& global);
VerbRun setup_validate(CLI::App& command, const GlobalOptions& global);
VerbRun setup_exec(CLI::App& command, const GlobalOptions& global);
VerbRun setup_cp(CLI::App& command, const GlobalOptions& global);
VerbRun setup_run(CLI::App& command, const GlobalOptions& global);
VerbRun setup_logs(CLI::App& command, const GlobalOptions& global);
VerbRun setup_console(CLI::App& command, const GlobalOptions& global);
VerbRun setup_start(CLI::App& command, const GlobalOptions& global);
VerbRun setup_stop(CLI::App& command, const GlobalOptions& global);
VerbRun setup_restart(CLI::App& command, const GlobalOptions& global);
VerbRun setup_images(CLI::App& command, const GlobalOptions& global);
VerbRun setup_pull(CLI::App& command, const GlobalOptions& global);
VerbRun setup_verify(CLI::App& command, const GlobalOptions& global);
VerbRun setup_image(CLI::App& command, const GlobalOptions& global);
VerbRun setup_install(CLI::App& command, const GlobalOptions& global);
VerbRun setup_uninstall(CLI::App& command, const GlobalOptions& global);
VerbRun setup_import(CLI::App& command, const GlobalOptions& global);
VerbRun setup_devices(CLI::App& command, const GlobalOptions& global);
VerbRun setup_doctor(CLI::App& command, const GlobalOptions& global);

} // namespace holos::ctl
