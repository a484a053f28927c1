// "test" follows compose: a string is a shell line; a list names its form in its first item
// ("CMD", "CMD-SHELL" or "NONE"). A list without that marker is rejected rather than guessed,
// because compose users would expect it to be an error there too.
#include "parse_healthcheck.hpp"

namespace holos::parsing {
namespace {

constexpr long long kMaxRetries = 1000;

// The test of a list form, or nothing after reporting. NONE disables the healthcheck.
void read_test_list(Parser& parser, const Node& node, const Place& at, Healthcheck& check) {
    std::vector<std::string> items;
    read_string_list(parser, node, at, items);
    if (items.size() != node.items.size()) {
        return;
    }
    std::string form = items.empty() ? "" : items.front();
    std::size_t rest = items.empty() ? 0 : items.size() - 1;
    if (form == "NONE" && rest == 0) {
        check.disabled = true;
    } else if (form == "CMD" && rest > 0) {
        check.test.argv.assign(items.begin() + 1, items.end());
    } else if (form == "CMD-SHELL" && rest == 1) {
        check.test.shell = items[1];
    } else if (form == "NONE" || form == "CMD" || form == "CMD-SHELL") {
        error(parser, at,
              "expected [\"NONE\"], [\"CMD\", program, args...] or [\"CMD-SHELL\", \"command\"], "
              "got " +
                  std::to_string(rest) + " item(s) after " + quote(form));
    } else {
        error(parser, at,
              "a list must start with \"CMD\", \"CMD-SHELL\" or \"NONE\": add \"CMD\" to run it "
              "as a command, e.g. [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]");
    }
}

void read_test(Parser& parser, const Node& node, const Place& at, Healthcheck& check) {
    if (node.is_sequence()) {
        read_test_list(parser, node, at, check);
        return;
    }
    if (!node.is_scalar()) {
        type_error(parser, at, "a command as a string or a list", node);
        return;
    }
    if (std::optional<std::string> line = read_nonempty_string(parser, node, at)) {
        check.test.shell = std::move(*line);
    }
}

void read_interval(Parser& parser, const Node& node, const Place& at, Healthcheck& check) {
    if (std::optional<std::int64_t> ms = read_duration(parser, node, at, false)) {
        check.interval_ms = *ms;
    }
}

void read_timeout(Parser& parser, const Node& node, const Place& at, Healthcheck& check) {
    if (std::optional<std::int64_t> ms = read_duration(parser, node, at, false)) {
        check.timeout_ms = *ms;
    }
}

void read_start_period(Parser& parser, const Node& node, const Place& at, Healthcheck& check) {
    if (std::optional<std::int64_t> ms = read_duration(parser, node, at, true)) {
        check.start_period_ms = *ms;
    }
}

void read_retries(Parser& parser, const Node& node, const Place& at, Healthcheck& check) {
    if (std::optional<long long> retries = read_integer(parser, node, at, 1, kMaxRetries)) {
        check.retries = static_cast<int>(*retries);
    }
}

void read_disable(Parser& parser, const Node& node, const Place& at, Healthcheck& check) {
    std::optional<bool> disable = read_bool(parser, node, at);
    // An invalid value counts as disabled: its error is enough, "missing test" would be noise.
    check.disabled = check.disabled || disable.value_or(true);
}

constexpr Field<Healthcheck> kHealthcheckFields[] = {
    {"test", read_test},       {"interval", read_interval},         {"timeout", read_timeout},
    {"retries", read_retries}, {"start_period", read_start_period}, {"disable", read_disable},
};

} // namespace

void read_healthcheck(Parser& parser, const Node& node, const Place& at, Service& service) {
    Healthcheck check;
    std::vector<std::string_view> present =
        read_fields(parser, node, at, kHealthcheckFields, check);
    if ((node.is_mapping() || node.is_null()) && !contains(present, "test") && !check.disabled) {
        error(parser, at, "missing required key \"test\" (or \"disable: true\")");
    }
    service.healthcheck = std::move(check);
}

std::vector<std::string> healthcheck_keys() {
    return keys_of(kHealthcheckFields);
}

} // namespace holos::parsing
