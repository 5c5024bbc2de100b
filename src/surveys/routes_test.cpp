// The surveys' API over the real dispatcher on both engines: status codes, problem+json naming
// the field or the question, permissions and department scope, results and files.

#include "surveys/routes.h"
#include "web/api_harness.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace teilhabe::surveys {
namespace {

using http::Method;
using nlohmann::json;
using staff::Role;

json definition() {
    return {{"title", "Stadtpark"},
            {"status", "open"},
            {"questions",
             {{{"kind", "single_choice"},
               {"text", "Wie oft?"},
               {"required", true},
               {"options", {"oft", "selten"}}},
              {{"kind", "rating"}, {"text", "Sauberkeit"}, {"required", true}},
              {{"kind", "free_text"}, {"text", "Idee"}}}}};
}

class SurveyApi : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = web::testing::ApiHarness::create(GetParam(), routes());
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@example.org", "Anna");
        ben = h->add_citizen("ben@example.org", "Ben");
    }
    std::int64_t create(const json& body, Role as = Role::Editor) {
        auto r = h->call(Method::Post, "/api/v1/surveys", as, body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().value("id", std::int64_t{0});
    }
    web::testing::ApiResponse respond(std::int64_t id, std::int64_t who, const json& answers) {
        return h->call(Method::Post, fmt::format("/api/v1/surveys/{}/responses", id), Role::Editor,
                       {{"citizen_id", who}, {"answers", answers}});
    }
    std::unique_ptr<web::testing::ApiHarness> h;
    std::int64_t anna{0}, ben{0};
};

TEST_P(SurveyApi, SurveysAreCreatedListedReadChangedAndDeleted) {
    auto id = create(definition());
    auto got = h->call(Method::Get, fmt::format("/api/v1/surveys/{}", id), Role::Editor);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json()["questions"][1]["id"], "q2");
    EXPECT_EQ(got.json()["portal_url"].get<std::string>().substr(0, 4), "http");
    EXPECT_TRUE(got.json()["portal_url"].get<std::string>().ends_with(
        fmt::format("/portal/surveys/{}", id)));
    create({{"title", "Zweite"}});
    auto page = h->call(Method::Get, "/api/v1/surveys?limit=1", Role::Editor);
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.json()["items"].size(), 1u);
    EXPECT_EQ(page.json()["next_cursor"], std::to_string(id));
    auto rest =
        h->call(Method::Get, "/api/v1/surveys?limit=1&cursor=" + std::to_string(id), Role::Editor);
    EXPECT_EQ(rest.json()["items"][0]["title"], "Zweite");
    EXPECT_TRUE(rest.json()["next_cursor"].is_null());
    auto patched = h->call(Method::Patch, fmt::format("/api/v1/surveys/{}", id), Role::Editor,
                           {{"title", "Stadtpark 2027"}, {"closes_at", "2027-01-31T23:00:00Z"}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(patched.json()["closes_at"], "2027-01-31T23:00:00.000Z");
    EXPECT_EQ(h->call(Method::Delete, fmt::format("/api/v1/surveys/{}", id), Role::Editor).status,
              204);
    EXPECT_EQ(h->call(Method::Get, fmt::format("/api/v1/surveys/{}", id), Role::Editor).status,
              404);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/surveys/abc", Role::Editor).status, 404);
}

TEST_P(SurveyApi, BadDefinitionsAreProblemsNamingTheFieldOrQuestion) {
    auto body = definition();
    body["questions"][0]["options"] = {"nur eine"};
    auto r = h->call(Method::Post, "/api/v1/surveys", Role::Editor, body);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_EQ(r.json()["errors"][0]["field"], "questions[1].options");
    auto kind = definition();
    kind["questions"][1]["kind"] = "essay";
    EXPECT_EQ(
        h->call(Method::Post, "/api/v1/surveys", Role::Editor, kind).json()["errors"][0]["field"],
        "questions[2].kind");
    EXPECT_EQ(h->call(Method::Post, "/api/v1/surveys", Role::Editor,
                      {{"title", "x"}, {"audience", {{"kind", "segment"}, {"segment_id", 99}}}})
                  .json()["errors"][0]["field"],
              "audience.segment_id");
    EXPECT_EQ(h->call(Method::Get, "/api/v1/surveys?limit=0", Role::Editor).status, 422);
}

TEST_P(SurveyApi, PermissionsAndDepartmentScope) {
    EXPECT_EQ(h->call(Method::Get, "/api/v1/surveys", Role::Analyst).status, 403);
    EXPECT_EQ(h->call(Method::Post, "/api/v1/surveys", Role::Partner, definition()).status, 403);
    EXPECT_EQ(h->call_anonymous(Method::Get, "/api/v1/surveys").status, 401);
    auto r = h->db().transaction(db::TxMode::Write, [](db::Connection& c) {
        return c.query("INSERT INTO departments (id, key, name_de, name_en, created_at) VALUES (5, "
                       "'gruen', 'Grün', 'Green', 0)");
    });
    ASSERT_TRUE(r);
    auto body = definition();
    body["department_id"] = 5;
    auto theirs = create(body);
    // A department key (bound to no department) sees no other department's survey.
    EXPECT_EQ(
        h->call(Method::Get, fmt::format("/api/v1/surveys/{}", theirs), Role::Department).status,
        404);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/surveys", Role::Department).json()["items"].size(), 0u);
    EXPECT_EQ(h->call(Method::Post, "/api/v1/surveys", Role::Department, body).status, 403);
    auto own = create(definition(), Role::Department);
    EXPECT_EQ(h->call(Method::Get, fmt::format("/api/v1/surveys/{}", own), Role::Department).status,
              200);
}

TEST_P(SurveyApi, ResponsesOncePerPersonWithEachProblemNamed) {
    auto id = create(definition());
    auto missing = respond(id, anna, {{"q1", "oft"}, {"q3", "Bänke"}});
    ASSERT_EQ(missing.status, 422) << missing.body;
    EXPECT_EQ(missing.content_type, "application/problem+json");
    EXPECT_EQ(missing.json()["errors"][0]["field"], "answers.q2");
    EXPECT_EQ(missing.json()["errors"][0]["kind"], "missing");
    EXPECT_NE(missing.json()["detail"].get<std::string>().find("Sauberkeit"), std::string::npos);
    auto several = respond(id, anna, {{"q1", "manchmal"}, {"q2", 7}});
    ASSERT_EQ(several.status, 422);
    ASSERT_EQ(several.json()["errors"].size(), 2u);
    EXPECT_EQ(several.json()["errors"][0]["kind"], "unknown_option");
    EXPECT_EQ(several.json()["errors"][1]["kind"], "out_of_range");
    auto ok = respond(id, anna, {{"q1", "oft"}, {"q2", 4}});
    EXPECT_EQ(ok.status, 201) << ok.body;
    auto twice = respond(id, anna, {{"q1", "selten"}, {"q2", 1}});
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.content_type, "application/problem+json");
    EXPECT_EQ(respond(id, 9999, {{"q1", "oft"}, {"q2", 4}}).status, 422);
    EXPECT_EQ(respond(id + 100, ben, {{"q1", "oft"}}).status, 404);
    // Questions are fixed now; the survey cannot be deleted, only closed.
    EXPECT_EQ(h->call(Method::Patch, fmt::format("/api/v1/surveys/{}", id), Role::Editor,
                      {{"questions", json::array()}})
                  .status,
              409);
    EXPECT_EQ(h->call(Method::Delete, fmt::format("/api/v1/surveys/{}", id), Role::Editor).status,
              409);
    EXPECT_EQ(h->call(Method::Patch, fmt::format("/api/v1/surveys/{}", id), Role::Editor,
                      {{"status", "closed"}})
                  .status,
              200);
    auto closed = respond(id, ben, {{"q1", "oft"}, {"q2", 4}});
    EXPECT_EQ(closed.status, 422);
    EXPECT_NE(closed.body.find("not open"), std::string::npos);
}

TEST_P(SurveyApi, ResultsAsAggregatesCsvAndXlsx) {
    auto id = create(definition());
    ASSERT_EQ(respond(id, anna, {{"q1", "oft"}, {"q2", 4}, {"q3", "Mehr Bänke"}}).status, 201);
    ASSERT_EQ(respond(id, ben, {{"q1", "oft"}, {"q2", 2}}).status, 201);
    auto r = h->call(Method::Get, fmt::format("/api/v1/surveys/{}/results", id), Role::Editor);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["responses"], 2);
    EXPECT_EQ(r.json()["questions"][0]["counts"][0]["count"], 2);
    EXPECT_EQ(r.json()["questions"][1]["average"], 3.0);
    EXPECT_EQ(r.json()["questions"][2]["texts"][0], "Mehr Bänke");
    auto csv =
        h->call(Method::Get, fmt::format("/api/v1/surveys/{}/results.csv", id), Role::Editor);
    ASSERT_EQ(csv.status, 200);
    EXPECT_TRUE(csv.content_type.starts_with("text/csv"));
    EXPECT_NE(csv.body.find("Mehr Bänke"), std::string::npos);
    EXPECT_NE(csv.body.find("citizen_id"), std::string::npos) << "a named survey";
    auto xlsx =
        h->call(Method::Get, fmt::format("/api/v1/surveys/{}/results.xlsx", id), Role::Editor);
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_TRUE(xlsx.body.starts_with("PK"));
}

// An anonymous survey hides counts from 1 to 4 and free texts before 5 responses, in the API
// (same shape: count null, suppressed true) and in the files; from 5 on the figures show.
TEST_P(SurveyApi, AnonymousResultsHideSmallCounts) {
    auto d = definition();
    d["anonymous"] = true;
    auto id = create(d);
    std::vector<std::int64_t> people{anna, ben};
    for (int i = 0; i < 3; ++i)
        people.push_back(h->add_citizen(fmt::format("p{}@example.org", i), "P"));
    for (std::size_t i = 0; i < 4; ++i)
        ASSERT_EQ(respond(id, people[i], {{"q1", "oft"}, {"q2", 4}, {"q3", "Mehr Bänke"}}).status, 201);
    auto r = h->call(Method::Get, fmt::format("/api/v1/surveys/{}/results", id), Role::Editor).json();
    EXPECT_EQ(r["responses"], 4);
    EXPECT_EQ(r["small_counts_suppressed"], true);
    EXPECT_TRUE(r["questions"][0]["counts"][0]["count"].is_null());
    EXPECT_EQ(r["questions"][0]["counts"][0]["suppressed"], true);
    EXPECT_EQ(r["questions"][0]["counts"][1]["count"], 0);
    EXPECT_TRUE(r["questions"][1]["average"].is_null());
    EXPECT_EQ(r["questions"][2]["texts"].size(), 0u);
    EXPECT_EQ(r["questions"][2]["texts_suppressed"], true);
    auto csv = h->call(Method::Get, fmt::format("/api/v1/surveys/{}/results.csv", id), Role::Editor);
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.body.find(";oft;< 5;"), std::string::npos) << csv.body;
    EXPECT_EQ(csv.body.find("Mehr Bänke"), std::string::npos);
    // The fifth response: the figures show.
    ASSERT_EQ(respond(id, people[4], {{"q1", "oft"}, {"q2", 4}}).status, 201);
    r = h->call(Method::Get, fmt::format("/api/v1/surveys/{}/results", id), Role::Editor).json();
    EXPECT_EQ(r["questions"][0]["counts"][0]["count"], 5);
    EXPECT_EQ(r["questions"][0]["counts"][0]["suppressed"], false);
    EXPECT_EQ(r["questions"][1]["average"], 4.0);
    EXPECT_EQ(r["questions"][2]["texts"].size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Engines, SurveyApi, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::surveys
