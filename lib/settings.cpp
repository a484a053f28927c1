#include "settings.hpp"

#include "atomic_file.hpp"
#include "text.hpp"

#include <charconv>
#include <functional>
#include <map>

namespace holos {
namespace {

using Setter = std::function<std::string(Settings&, const std::string&)>;

std::string set_accel(Settings& settings, const std::string& value) {
    if (value != "kvm" && value != "tcg") {
        return "accel must be \"kvm\" or \"tcg\", got \"" + value + "\"";
    }
    settings.accel = value;
    return {};
}

std::string set_image_mirror(Settings& settings, const std::string& value) {
    if (!value.starts_with("http://") && !value.starts_with("https://")) {
        return "image_mirror must be an http:// or https:// URL, got \"" + value + "\"";
    }
    settings.image_mirror = value;
    return {};
}

std::string set_pull_stall_timeout(Settings& settings, const std::string& value) {
    constexpr int kMaxSeconds = 3600;
    int seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size() || seconds < 1 ||
        seconds > kMaxSeconds) {
        return "pull_stall_timeout must be whole seconds from 1 to " + std::to_string(kMaxSeconds) +
               ", got \"" + value + "\"";
    }
    settings.pull_stall_timeout_s = seconds;
    return {};
}

std::string set_health_bypass(Settings& settings, const std::string& value) {
    if (value != "yes" && value != "no") {
        return "health_bypass must be \"yes\" or \"no\", got \"" + value + "\"";
    }
    settings.health_bypass = value == "yes";
    return {};
}

const std::map<std::string, Setter, std::less<>>& setters() {
    static const std::map<std::string, Setter, std::less<>> table = {
        {"accel", set_accel},
        {"image_mirror", set_image_mirror},
        {"pull_stall_timeout", set_pull_stall_timeout},
        {"health_bypass", set_health_bypass},
    };
    return table;
}

void apply_line(std::string_view line, const std::string& where, SettingsResult& result) {
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) {
        return;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
        result.errors.push_back(where + ": expected \"key = value\"");
        return;
    }
    std::string key(trim(line.substr(0, eq)));
    std::string value(trim(line.substr(eq + 1)));
    auto setter = setters().find(key);
    if (setter == setters().end()) {
        result.errors.push_back(where + ": unknown key \"" + key + "\"");
        return;
    }
    std::string error = setter->second(result.settings, value);
    if (!error.empty()) {
        result.errors.push_back(where + ": " + error);
    }
}

} // namespace

void apply_settings_text(std::string_view text, const std::string& file,
                         SettingsResult& result) {
    int line_number = 0;
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        apply_line(line, file + ":" + std::to_string(++line_number), result);
    }
}

SettingsResult load_settings(const Paths& paths) {
    SettingsResult result;
    for (const auto& file : {paths.config_dir / "holos.conf", paths.runtime_dir / "holos.conf"}) {
        std::error_code ec;
        if (std::filesystem::exists(file, ec)) {
            apply_settings_text(read_file(file), file.string(), result);
        }
    }
    return result;
}

} // namespace holos
