// Host-wide settings from holos.conf: /etc/holos/holos.conf, overridden key by key by
// /run/holos/holos.conf (a runtime override that a reboot forgets). The format is
// "key = value" lines; '#' starts a comment.
#pragma once

#include "paths.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace holos {

struct Settings {
    std::string accel = "kvm"; // kvm or tcg
    // Catalogue downloads go to <image_mirror>/<upstream host>/<path> instead; empty: upstream.
    std::string image_mirror;
    int pull_stall_timeout_s = 60; // a download slower than 1 KiB/s this long is aborted
    // Health probes pass without connecting: for guests without SSH, whose dependents
    // would otherwise never start.
    bool health_bypass = false;
};

struct SettingsResult {
    Settings settings;
    std::vector<std::string> errors; // "holos.conf:3: unknown key "x""
};

// Applies one file's text on top of `settings`; `file` names it in errors.
void apply_settings_text(std::string_view text, const std::string& file, SettingsResult& result);

// Reads both files (a missing file is not an error).
SettingsResult load_settings(const Paths& paths);

} // namespace holos
