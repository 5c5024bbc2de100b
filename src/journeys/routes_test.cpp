// The journeys API and admin pages through the real dispatcher, on SQLite and PostgreSQL.

#include "journeys/routes.h"
#include "web/api_harness.h"

#include <gtest/gtest.h>

namespace teilhabe::journeys {
namespace {

using http::Method;
using nlohmann::json;
using staff::Role;
using web::testing::ApiHarness;

class JourneyApiTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = ApiHarness::create(GetParam(), routes(&rules));
        ASSERT_TRUE(h);
    }
    TagRuleEvaluator rules;
    std::unique_ptr<ApiHarness> h;
};

json definition() {
    return {{"trigger", {{"type", "activity"}, {"activity", "newsletter.confirmed"}}},
            {"steps", json::array({{{"type", "wait"}, {"duration", "1d"}}, {{"type", "add_tag"}, {"tag", "neu"}}})}};
}

TEST_P(JourneyApiTest, CreateReadSwitchAndStatistics) {
    auto r = h->call(Method::Post, "/api/v1/journeys", Role::Editor, {{"name", "Willkommen"}, {"definition", definition()}});
    ASSERT_EQ(r.status, 201) << r.body;
    std::string path(r.raw.header("location").value_or(""));
    EXPECT_EQ(r.json()["active"], false);
    EXPECT_EQ(h->call(Method::Post, path + "/activate", Role::Editor).json()["active"], true);
    auto s = h->call(Method::Get, path + "/statistics", Role::Editor);
    ASSERT_EQ(s.status, 200);
    EXPECT_EQ(s.json()["steps"].size(), 2u);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/journeys", Role::Editor).json()["items"].size(), 1u);
    EXPECT_EQ(h->call(Method::Patch, path, Role::Editor, {{"name", "Hallo"}}).json()["name"], "Hallo");
    EXPECT_EQ(h->call(Method::Delete, path, Role::Editor).status, 204);
    EXPECT_EQ(h->call(Method::Get, path, Role::Editor).status, 404);
}

TEST_P(JourneyApiTest, BadDefinitionIs422NamingThePart) {
    auto d = definition();
    d["steps"][1]["tag"] = 7;
    auto r = h->call(Method::Post, "/api/v1/journeys", Role::Editor, {{"name", "X"}, {"definition", d}});
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("definition.steps[1].tag"), std::string::npos) << r.body;
    d = definition();
    d["steps"][0] = {{"type", "branch"}, {"rule", {{"segment", "nope"}}}};
    r = h->call(Method::Post, "/api/v1/journeys", Role::Editor, {{"name", "X"}, {"definition", d}});
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("definition.steps[0].rule"), std::string::npos) << r.body;
}

TEST_P(JourneyApiTest, OnlyEditorsAndAdministratorsManageJourneys) {
    EXPECT_EQ(h->call(Method::Get, "/api/v1/journeys", Role::Analyst).status, 403);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/journeys", Role::Admin).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, JourneyApiTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::journeys
