#include "service_graph.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

// web -> api -> db, api -> migrate -> db; cache stands alone.
Project chain() {
    Project project;
    project.name = "p";
    auto service = [](const std::string& name, std::vector<Dependency> needs) {
        Service s;
        s.name = name;
        s.depends_on = std::move(needs);
        return s;
    };
    project.services = {
        service("web", {{"api", DependencyCondition::service_started}}),
        service("api", {{"db", DependencyCondition::service_healthy},
                        {"migrate", DependencyCondition::service_completed_successfully}}),
        service("cache", {}),
        service("migrate", {{"db", DependencyCondition::service_started}}),
        service("db", {}),
    };
    return project;
}

std::vector<std::string> names(const std::vector<const Service*>& services) {
    std::vector<std::string> out;
    for (const Service* service : services) {
        out.push_back(service->name);
    }
    return out;
}

TEST(ServiceGraph, NeededServicesAreTransitiveAndInStartOrder) {
    Project project = chain();
    EXPECT_EQ(names(needed_services(project, {"web"})),
              (std::vector<std::string>{"db", "migrate", "api"}));
    EXPECT_EQ(names(needed_services(project, {"migrate"})), (std::vector<std::string>{"db"}));
    EXPECT_TRUE(needed_services(project, {"cache"}).empty());
}

TEST(ServiceGraph, DependentsAreTransitiveWithoutTheNamedOnes) {
    Project project = chain();
    EXPECT_EQ(names(dependent_services(project, {"db"})),
              (std::vector<std::string>{"migrate", "api", "web"}));
    EXPECT_EQ(names(dependent_services(project, {"db", "api"})),
              (std::vector<std::string>{"migrate", "web"}));
    EXPECT_TRUE(dependent_services(project, {"web"}).empty());
}

TEST(ServiceGraph, OnlyACompletionDependencyRunsToCompletion) {
    Project project = chain();
    EXPECT_TRUE(runs_to_completion(project, *find_service(project, "migrate")));
    EXPECT_FALSE(runs_to_completion(project, *find_service(project, "db")));
}

TEST(ServiceGraph, ADisabledHealthcheckHasNoProbe) {
    Service service;
    EXPECT_FALSE(has_health_probe(service));
    service.healthcheck = Healthcheck{};
    EXPECT_TRUE(has_health_probe(service));
    service.healthcheck->disabled = true;
    EXPECT_FALSE(has_health_probe(service));
}

} // namespace
} // namespace holos
