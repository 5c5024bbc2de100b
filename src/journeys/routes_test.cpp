// The journeys API and admin pages through the real dispatcher, on SQLite and PostgreSQL.

#include "journeys/routes.h"
#include "web/api_harness.h"

#include <cctype>
#include <cstdio>
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

std::string form_encode(const std::string& v) {
    std::string out;
    for (unsigned char c : v) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.')
            out += static_cast<char>(c);
        else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

TEST_P(JourneyApiTest, AdminPagesShowTheDiagramAndErrorsBesideTheDefinition) {
    auto made = h->call(Method::Post, "/api/v1/journeys", Role::Editor, {{"name", "Willkommen"}, {"definition", definition()}});
    ASSERT_EQ(made.status, 201);
    auto id = std::to_string(made.json()["id"].get<std::int64_t>());
    auto list = h->call(Method::Get, "/admin/journeys", Role::Editor);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_NE(list.body.find("Willkommen"), std::string::npos);
    auto detail = h->call(Method::Get, "/admin/journeys/" + id, Role::Editor);
    ASSERT_EQ(detail.status, 200);
    EXPECT_NE(detail.body.find("id=\"step-s1\""), std::string::npos) << detail.body;
    EXPECT_NE(detail.body.find("journey-step-add_tag"), std::string::npos);
    EXPECT_NE(detail.body.find("/admin/journeys/" + id + "/activate"), std::string::npos);

    auto bad = definition();
    bad["steps"][0]["duration"] = "drei Tage";
    auto form = "name=Neu&description=&definition=" + form_encode(bad.dump());
    auto r = h->call(Method::Post, "/admin/journeys/new", Role::Editor, form,
                     {{"content-type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("id=\"definition-error\""), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("steps[0].duration"), std::string::npos);
    EXPECT_NE(r.body.find("drei Tage"), std::string::npos) << "what was typed stays in the form";

    auto on = h->call(Method::Get, "/admin/journeys/" + id + "/activate", Role::Editor);
    EXPECT_EQ(on.status, 200);
    auto done = h->call(Method::Post, "/admin/journeys/" + id + "/activate", Role::Editor, "",
                        {{"content-type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(done.status, 303);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/journeys/" + id, Role::Editor).json()["active"], true);
}

INSTANTIATE_TEST_SUITE_P(Backends, JourneyApiTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::journeys
