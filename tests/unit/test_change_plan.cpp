#include "change_plan.hpp"

#include "parse.hpp"

#include <gtest/gtest.h>

namespace holos {
namespace {

// db and web (2 replicas, depending on db), as the first `up` registered them.
constexpr const char* kBase = R"(name: shop
services:
  db:
    image: debian:12
    vm: {memory_mb: 1024}
    cloud_init:
      runcmd: ["echo db"]
  web:
    image: debian:12
    replicas: 2
    depends_on: [db]
    ports: ["8080:80"]
    vm: {memory_mb: 1024}
    cloud_init:
      runcmd: ["echo web"]
)";

Project parsed(const std::string& text) {
    ParseResult result = parse_project_text(text, "holos.yaml", "/srv/shop/holos.yaml");
    if (!result.project) {
        throw std::runtime_error("test file does not parse: " +
                                 (result.diagnostics.empty() ? std::string("?")
                                                             : result.diagnostics[0].message));
    }
    return *result.project;
}

// `base` with `from` replaced by `to` (once).
std::string edited(std::string base, const std::string& from, const std::string& to) {
    size_t at = base.find(from);
    if (at == std::string::npos) {
        throw std::runtime_error("no \"" + from + "\" in the test file");
    }
    return base.replace(at, from.size(), to);
}

GraphContext context() {
    return {system_paths(), "kvm", "/usr/libexec/holos", "/usr/bin/qemu-system-x86_64",
            "/run/holos/projects/shop/holos.yaml", {}, {}};
}

struct Planned {
    Project before;
    Project after;
    ChangePlan plan;
};

std::set<std::string> all_running(const Project& project) {
    std::set<std::string> running;
    for (const InstanceUnit& instance : instance_units(project)) {
        running.insert(instance.unit);
    }
    return running;
}

Planned plan_edit(const std::string& after_text, std::set<std::string> recreate = {},
                  bool recreate_stale = false, std::set<std::string> rebuilt = {}) {
    Planned planned{parsed(kBase), parsed(after_text), {}};
    PlanRequest request{PlanSide{&planned.before, context()},
                        PlanSide{&planned.after, context()},
                        all_running(planned.before),
                        "ssh-ed25519 AAAA test",
                        recreate_stale,
                        std::move(recreate),
                        std::move(rebuilt)};
    planned.plan = plan_changes(request);
    return planned;
}

std::map<std::string, PlannedAction> actions(const ChangePlan& plan) {
    std::map<std::string, PlannedAction> out;
    for (const PlannedInstance& instance : plan.instances) {
        out[instance.instance] = instance.action;
    }
    return out;
}

using A = PlannedAction;

TEST(ChangePlan, LeavesAnUnchangedProjectAlone) {
    Planned planned = plan_edit(kBase);
    EXPECT_EQ(actions(planned.plan), (std::map<std::string, A>{
                                         {"db-0", A::unchanged},
                                         {"web-0", A::unchanged},
                                         {"web-1", A::unchanged}}));
}

TEST(ChangePlan, RestartsOnlyTheServiceWhoseMemoryChanged) {
    Planned planned = plan_edit(edited(kBase, "    ports: [\"8080:80\"]\n    vm: {memory_mb: 1024}",
                                       "    ports: [\"8080:80\"]\n    vm: {memory_mb: 2048}"));
    EXPECT_EQ(actions(planned.plan), (std::map<std::string, A>{
                                         {"db-0", A::unchanged},
                                         {"web-0", A::restart},
                                         {"web-1", A::restart}}));
    EXPECT_EQ(planned.plan.instances[1].changes,
              std::vector<std::string>{"vm.memory_mb 1024 -> 2048"});
}

TEST(ChangePlan, MarksAProvisioningChangeStaleAndKeepsItRunning) {
    Planned planned = plan_edit(edited(kBase, "echo db", "echo db v2"));
    EXPECT_EQ(actions(planned.plan).at("db-0"), A::stale);
    EXPECT_EQ(actions(planned.plan).at("web-0"), A::unchanged);
    EXPECT_EQ(planned.plan.instances[0].changes,
              std::vector<std::string>{"cloud_init.runcmd"});
}

TEST(ChangePlan, RecreatesStaleInstancesWhenAsked) {
    Planned planned = plan_edit(edited(kBase, "echo db", "echo db v2"), {}, true);
    EXPECT_EQ(actions(planned.plan).at("db-0"), A::recreate);
    EXPECT_EQ(actions(planned.plan).at("web-0"), A::unchanged);
}

TEST(ChangePlan, RecreatesANamedServiceEvenWithoutChanges) {
    Planned planned = plan_edit(kBase, {"web"});
    EXPECT_EQ(actions(planned.plan), (std::map<std::string, A>{
                                         {"db-0", A::unchanged},
                                         {"web-0", A::recreate},
                                         {"web-1", A::recreate}}));
}

// The file is the same, but a file the Dockerfile copies changed: only that instance's disk
// is rebuilt, and the plan says why.
TEST(ChangePlan, RecreatesARunningInstanceWhoseDockerfileInputsChanged) {
    Planned planned = plan_edit(kBase, {}, false, {"web-1"});
    EXPECT_EQ(actions(planned.plan), (std::map<std::string, A>{
                                         {"db-0", A::unchanged},
                                         {"web-0", A::unchanged},
                                         {"web-1", A::recreate}}));
    EXPECT_NE(format_plan(planned.plan).find("the Dockerfile or a file it copies"),
              std::string::npos)
        << format_plan(planned.plan);
}

TEST(ChangePlan, AppliesARestartPolicyWithoutRestarting) {
    Planned planned = plan_edit(edited(kBase, "    replicas: 2\n", "    replicas: 2\n"
                                                                    "    restart: always\n"));
    EXPECT_EQ(actions(planned.plan).at("web-0"), A::update);
    EXPECT_EQ(planned.plan.instances[1].changes,
              std::vector<std::string>{"restart \"no\" -> \"always\""});
}

TEST(ChangePlan, CreatesAndRemovesReplicas) {
    EXPECT_EQ(actions(plan_edit(edited(kBase, "replicas: 2", "replicas: 1")).plan),
              (std::map<std::string, A>{
                  {"db-0", A::unchanged}, {"web-0", A::unchanged}, {"web-1", A::remove}}));
    EXPECT_EQ(actions(plan_edit(edited(kBase, "replicas: 2", "replicas: 3")).plan),
              (std::map<std::string, A>{{"db-0", A::unchanged},
                                        {"web-0", A::unchanged},
                                        {"web-1", A::unchanged},
                                        {"web-2", A::create}}));
}

TEST(ChangePlan, StartsWhatIsNotRunningAndSaysWhenCloudInitRunsAgain) {
    Project before = parsed(kBase);
    Project after = parsed(edited(kBase, "echo db", "echo db v2"));
    PlanRequest request{PlanSide{&before, context()}, PlanSide{&after, context()}, {}, "k",
                        false, {}, {}};
    ChangePlan plan = plan_changes(request);
    EXPECT_EQ(plan.instances[0].action, A::start);
    EXPECT_TRUE(plan.instances[0].provisioning_changed);
    EXPECT_NE(format_plan(plan).find("cloud-init runs again on its current disk"),
              std::string::npos);
}

TEST(ChangePlan, FirstUpCreatesEverything) {
    Project after = parsed(kBase);
    PlanRequest request{std::nullopt, PlanSide{&after, context()}, {}, "k", false, {}, {}};
    EXPECT_EQ(actions(plan_changes(request)),
              (std::map<std::string, A>{
                  {"db-0", A::create}, {"web-0", A::create}, {"web-1", A::create}}));
}

// The printed plan, pinned: what `holosctl up --dry-run` shows for a mixed edit.
TEST(ChangePlan, PrintsOneLinePerInstanceWithWhatChanged) {
    std::string text = edited(edited(kBase, "echo db", "echo db v2"), "replicas: 2", "replicas: 1");
    text = edited(text, "    ports: [\"8080:80\"]\n    vm: {memory_mb: 1024}",
                  "    ports: [\"8080:80\"]\n    vm: {memory_mb: 1536, vcpu: 2}");
    EXPECT_EQ(format_plan(plan_edit(text).plan),
              "project shop:\n"
              "  db-0   stale     cloud_init.runcmd; keeps running as it is; holosctl up "
              "--recreate db re-provisions it on a fresh disk\n"
              "  web-0  restart   vm.memory_mb 1024 -> 1536, vm.vcpu 1 -> 2; restarts with its "
              "disk kept\n"
              "  web-1  remove    its disk is deleted\n");
}

} // namespace
} // namespace holos
