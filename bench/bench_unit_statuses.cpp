// Times reading the status of many units two ways on one connection in the same run:
// SystemdManager::unit_statuses (the states in one call, then the main PIDs with every request
// sent before any reply is awaited, as ps does) and one unit at a time with unit_state (a
// round trip per property).
// The ratio, not the absolute time, is the figure to compare across machines.
//
//   bench_unit_statuses ROUNDS UNIT...      (the system manager, so root)
#include "systemd_manager.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double median_ms(int rounds, const std::function<void()>& run) {
    std::vector<double> times;
    for (int i = 0; i < rounds; ++i) {
        Clock::time_point start = Clock::now();
        run();
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_unit_statuses ROUNDS UNIT...\n");
        return 2;
    }
    int rounds = std::max(1, std::atoi(argv[1]));
    std::vector<std::string> units(argv + 2, argv + argc);
    std::vector<holos::StatusQuery> queries;
    for (const std::string& unit : units) {
        queries.push_back({unit});
    }
    holos::SystemdManager manager(holos::Scope::system);

    size_t active = 0;
    double batched = median_ms(rounds, [&] {
        active = 0;
        for (const holos::UnitStatus& status : manager.unit_statuses(queries)) {
            active += status.active_state == "active";
        }
    });
    double one_by_one = median_ms(rounds, [&] {
        for (const std::string& unit : units) {
            manager.unit_state(unit);
        }
    });
    std::printf("%zu units (%zu active), median of %d rounds:\n", units.size(), active, rounds);
    std::printf("  batched unit_statuses:     %8.2f ms\n", batched);
    std::printf("  unit_state one at a time:  %8.2f ms\n", one_by_one);
    std::printf("  batched / one at a time:   %8.2f\n", batched / one_by_one);
    return 0;
}
