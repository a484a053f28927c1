// A cycle is reported once, at the service of the cycle that comes first in the file, and
// spelled from there in the direction of the edges, so the message is the same however the
// search happened to reach it.
#include "parse_checks.hpp"

#include <algorithm>
#include <set>

namespace holos::parsing {
namespace {

std::string service_list(const Project& project) {
    std::string out;
    for (const Service& service : project.services) {
        out += (out.empty() ? "" : ", ") + quote(service.name);
    }
    return out;
}

int index_of(const Project& project, const std::string& name) {
    for (std::size_t i = 0; i < project.services.size(); ++i) {
        if (project.services[i].name == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

// Chooses or checks the condition of one resolved dependency.
void settle_condition(Parser& parser, Dependency& dependency, const Service& target,
                      bool explicit_condition, const Place& at) {
    bool healthy = target.healthcheck && !target.healthcheck->disabled;
    if (!explicit_condition) {
        dependency.condition =
            healthy ? DependencyCondition::service_healthy : DependencyCondition::service_started;
        return;
    }
    if (dependency.condition == DependencyCondition::service_healthy && !healthy) {
        std::string which = target.healthcheck ? "whose healthcheck is disabled" : "which has none";
        error(parser, at,
              "condition \"service_healthy\" needs a healthcheck on " + quote(target.name) + ", " +
                  which);
    }
    bool restarts_always = target.restart == RestartPolicy::always ||
                           target.restart == RestartPolicy::unless_stopped;
    if (dependency.condition == DependencyCondition::service_completed_successfully &&
        restarts_always) {
        error(parser, at,
              "condition \"service_completed_successfully\" waits for " + quote(target.name) +
                  " to power off, but its restart policy would start it again; give it "
                  "restart \"on-failure\" or \"no\"");
    }
}

struct CycleSearch {
    const std::vector<std::vector<int>>& edges;
    std::vector<int> state; // 0 unvisited, 1 on the stack, 2 done
    std::vector<int> stack;
    std::set<std::vector<int>> cycles; // each rotated to start at its lowest index
};

void visit(CycleSearch& search, int node) {
    search.state[static_cast<std::size_t>(node)] = 1;
    search.stack.push_back(node);
    for (int next : search.edges[static_cast<std::size_t>(node)]) {
        int state = search.state[static_cast<std::size_t>(next)];
        if (state == 0) {
            visit(search, next);
        } else if (state == 1) {
            auto start = std::find(search.stack.begin(), search.stack.end(), next);
            std::vector<int> cycle(start, search.stack.end());
            std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
            search.cycles.insert(std::move(cycle));
        }
    }
    search.stack.pop_back();
    search.state[static_cast<std::size_t>(node)] = 2;
}

void report_cycles(Parser& parser, const Project& project,
                   const std::vector<std::vector<int>>& edges) {
    CycleSearch search{edges, std::vector<int>(edges.size(), 0), {}, {}};
    for (std::size_t i = 0; i < edges.size(); ++i) {
        if (search.state[i] == 0) {
            visit(search, static_cast<int>(i));
        }
    }
    for (const std::vector<int>& cycle : search.cycles) {
        std::string names;
        for (int member : cycle) {
            names += project.services[static_cast<std::size_t>(member)].name + " -> ";
        }
        names += project.services[static_cast<std::size_t>(cycle.front())].name;
        const ServiceNotes& notes = parser.notes[static_cast<std::size_t>(cycle.front())];
        error(parser, notes.depends_on.value_or(notes.at), "dependency cycle: " + names);
    }
}

} // namespace

void check_dependencies(Parser& parser, Project& project) {
    std::vector<std::vector<int>> edges(project.services.size());
    for (std::size_t i = 0; i < project.services.size(); ++i) {
        Service& service = project.services[i];
        const ServiceNotes& notes = parser.notes[i];
        for (std::size_t d = 0; d < service.depends_on.size(); ++d) {
            Dependency& dependency = service.depends_on[d];
            const Place& at = notes.dependency_places[d];
            int target = index_of(project, dependency.service);
            if (dependency.service == service.name) {
                error(parser, at, "a service cannot depend on itself");
            } else if (target < 0) {
                error(parser, at,
                      "depends on " + quote(dependency.service) +
                          ", which is not a service in this file (services: " +
                          service_list(project) + ")");
            } else {
                settle_condition(parser, dependency,
                                 project.services[static_cast<std::size_t>(target)],
                                 notes.explicit_condition[d], at);
                edges[i].push_back(target);
            }
        }
    }
    report_cycles(parser, project, edges);
}

} // namespace holos::parsing
