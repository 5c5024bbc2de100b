// The surveys' pages over the real dispatcher: the builder without JavaScript (add, move,
// delete after a confirmation, messages beside the fields), opening, results with charts and
// downloads; in the portal the list, the form with its error round, the thank-you page and the
// "already answered" state.

#include "portal/test_support.h"
#include "surveys/routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace teilhabe::surveys {
namespace {

using http::Method;
using nlohmann::json;
using staff::Role;

class SurveyPages : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto all = portal::testing::whole_portal();
        auto mine = routes();
        all.insert(all.end(), mine.begin(), mine.end());
        h = portal::testing::portal_harness(GetParam(), std::move(all));
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@musterstadt.example", "Anna");
        portal::testing::add_account(*h, anna, "anna@musterstadt.example", "Sonnenblume 42");
        browser = std::make_unique<web::testing::Browser>(*h);
        portal::testing::sign_in(*browser, "anna@musterstadt.example", "Sonnenblume 42");
    }
    web::testing::ApiResponse staff_form(const std::string& path, const std::string& form) {
        http::Request req;
        req.method = Method::Post;
        req.path = req.target = path;
        req.headers = {{"authorization", "Bearer " + h->key(Role::Editor)},
                       {"content-type", "application/x-www-form-urlencoded"},
                       {"accept", "text/html"}};
        req.body = form;
        req.remote_addr = "192.0.2.10";
        return h->send(std::move(req));
    }
    std::int64_t open_survey() {
        auto r = h->call(Method::Post, "/api/v1/surveys", Role::Editor,
                         {{"title", "Stadtpark"},
                          {"status", "open"},
                          {"questions",
                           {{{"kind", "single_choice"},
                             {"text", "Wie oft sind Sie dort?"},
                             {"required", true},
                             {"options", {"oft", "selten"}}},
                            {{"kind", "multiple_choice"},
                             {"text", "Was fehlt?"},
                             {"options", {"Bänke", "Licht"}}},
                            {{"kind", "rating"}, {"text", "Sauberkeit"}, {"required", true}},
                            {{"kind", "matrix"},
                             {"text", "Zufrieden?"},
                             {"options", {"ja", "nein"}},
                             {"rows", {"Wege", "Spielplatz"}}}}}});
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().value("id", std::int64_t{0});
    }
    static bool has(const web::testing::ApiResponse& r, const std::string& s) {
        return r.body.find(s) != std::string::npos;
    }
    std::unique_ptr<web::testing::ApiHarness> h;
    std::unique_ptr<web::testing::Browser> browser;
    std::int64_t anna{0};
};

const std::string kTwoQuestions =
    "title=Radwege&description=&opens_on=&closes_on=&audience=everyone&question_count=2"
    "&q1_text=Erste&q1_kind=single_choice&q1_options=ja%0D%0Anein&q1_required=yes"
    "&q2_text=Zweite&q2_kind=free_text&q2_options=";

TEST_P(SurveyPages, ListShowsAnEmptyStateAndNeedsThePermission) {
    auto empty = h->call(Method::Get, "/admin/surveys", Role::Editor);
    ASSERT_EQ(empty.status, 200) << empty.body.substr(0, 300);
    EXPECT_TRUE(has(empty, "Es gibt noch keine Umfragen."));
    EXPECT_EQ(h->call(Method::Get, "/admin/surveys", Role::Analyst).status, 403);
    EXPECT_NE(browser->get("/admin/surveys").status, 200) << "a citizen is no staff";
    auto form = h->call(Method::Get, "/admin/surveys/new", Role::Department);
    EXPECT_EQ(form.status, 200);
    EXPECT_TRUE(has(form, "name=\"q1_text\""));
}

TEST_P(SurveyPages, BuilderAddsMovesAndDeletesQuestionsWithoutJavaScript) {
    auto added = staff_form("/admin/surveys/new", kTwoQuestions + "&action=add");
    ASSERT_EQ(added.status, 200) << added.body.substr(0, 300);
    EXPECT_TRUE(has(added, "name=\"q3_text\""));
    EXPECT_TRUE(has(added, "value=\"Radwege\"")) << "what was typed stays";
    auto moved = staff_form("/admin/surveys/new", kTwoQuestions + "&action=down-1");
    auto first = moved.body.find("value=\"Zweite\""), second = moved.body.find("value=\"Erste\"");
    ASSERT_NE(first, std::string::npos);
    EXPECT_LT(first, second);
    auto ask = staff_form("/admin/surveys/new", kTwoQuestions + "&action=ask-delete-2");
    EXPECT_TRUE(has(ask, "Diese Frage wirklich löschen?"));
    EXPECT_TRUE(has(ask, "value=\"delete-2\""));
    EXPECT_TRUE(has(ask, "value=\"Zweite\"")) << "nothing is deleted before the confirmation";
    auto deleted = staff_form("/admin/surveys/new", kTwoQuestions + "&action=delete-2");
    EXPECT_FALSE(has(deleted, "value=\"Zweite\""));
    EXPECT_TRUE(has(deleted, "name=\"question_count\" value=\"1\""));
    auto list = h->call(Method::Get, "/api/v1/surveys", Role::Editor);
    EXPECT_EQ(list.json()["items"].size(), 0u) << "only Save stores";
}

TEST_P(SurveyPages, BuilderSaysWhatIsWrongBesideTheFieldsAndSaves) {
    auto bad =
        staff_form("/admin/surveys/new",
                   "title=&audience=everyone&question_count=1&q1_text=Wie%3F&q1_kind=single_choice"
                   "&q1_options=nur+eine&action=save");
    ASSERT_EQ(bad.status, 422);
    EXPECT_TRUE(has(bad, "id=\"title-error\""));
    EXPECT_TRUE(has(bad, "id=\"q1_options-error\""));
    EXPECT_TRUE(has(bad, "href=\"#q1_options\""));
    EXPECT_TRUE(has(bad, "mindestens zwei verschiedene Antwortmöglichkeiten"));
    auto saved = staff_form("/admin/surveys/new", kTwoQuestions + "&action=save");
    ASSERT_EQ(saved.status, 303) << saved.body.substr(0, 500);
    auto where = std::string(saved.raw.header("location").value_or(""));
    EXPECT_TRUE(where.starts_with("/admin/surveys/"));
    auto list = h->call(Method::Get, "/api/v1/surveys", Role::Editor).json();
    ASSERT_EQ(list["items"].size(), 1u);
    auto s = list["items"][0];
    EXPECT_EQ(s["questions"][0]["options"], json({"ja", "nein"}));
    EXPECT_EQ(s["questions"][0]["required"], true);
    EXPECT_EQ(s["status"], "draft");
    auto id = s["id"].get<std::int64_t>();
    auto edit = h->call(Method::Get, fmt::format("/admin/surveys/{}", id), Role::Editor);
    EXPECT_TRUE(has(edit, fmt::format("/portal/surveys/{}", id))) << "the link for a campaign";
    auto opened = staff_form(fmt::format("/admin/surveys/{}/status", id), "to=open");
    EXPECT_EQ(opened.status, 303);
    EXPECT_EQ(
        h->call(Method::Get, fmt::format("/api/v1/surveys/{}", id), Role::Editor).json()["status"],
        "open");
    auto confirm = h->call(Method::Get, fmt::format("/admin/surveys/{}/delete", id), Role::Editor);
    EXPECT_TRUE(has(confirm, "Ja, endgültig löschen"));
    EXPECT_EQ(staff_form(fmt::format("/admin/surveys/{}/delete", id), "").status, 303);
    EXPECT_EQ(h->call(Method::Get, fmt::format("/api/v1/surveys/{}", id), Role::Editor).status,
              404);
}

TEST_P(SurveyPages, BuilderDatesAreTheTownsWholeDays) {
    auto body = kTwoQuestions;
    body.replace(body.find("opens_on=&closes_on="), 20, "opens_on=01.12.2026&closes_on=2026-12-07");
    ASSERT_EQ(staff_form("/admin/surveys/new", body + "&action=save").status, 303);
    auto s = h->call(Method::Get, "/api/v1/surveys", Role::Editor).json()["items"][0];
    EXPECT_EQ(s["opens_at"], "2026-11-30T23:00:00.000Z") << "00:00 on 1 Dec in Berlin";
    EXPECT_EQ(s["closes_at"], "2026-12-07T23:00:00.000Z") << "24:00 on 7 Dec in Berlin";
    auto edit = h->call(Method::Get, fmt::format("/admin/surveys/{}", s["id"].get<std::int64_t>()),
                        Role::Editor);
    EXPECT_TRUE(has(edit, "value=\"2026-12-01\"")) << "the same days are shown again";
    EXPECT_TRUE(has(edit, "value=\"2026-12-07\""));
}

TEST_P(SurveyPages, CitizenAnswersAfterAnErrorRoundAndSeesItAnswered) {
    auto id = open_survey();
    auto list = browser->get("/portal/surveys");
    ASSERT_EQ(list.status, 200) << list.body.substr(0, 300);
    EXPECT_TRUE(has(list, "Stadtpark"));
    auto form = browser->get(fmt::format("/portal/surveys/{}", id));
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(has(form, "<legend>Frage 1: Wie oft sind Sie dort?"));
    // The rating is missing: a message beside it and in the summary; the rest is kept.
    auto path = fmt::format("/portal/surveys/{}", id);
    auto wrong = browser->post_form(path, "q1=selten&q2=Licht&q4_r1=ja");
    ASSERT_EQ(wrong.status, 422) << wrong.body.substr(0, 500);
    EXPECT_TRUE(has(wrong, "href=\"#q3-1\""));
    EXPECT_TRUE(has(wrong, "id=\"q3-error\""));
    EXPECT_TRUE(has(wrong, "Frage 3: Bitte beantworten Sie diese Frage."));
    EXPECT_TRUE(has(wrong, "value=\"selten\" checked"));
    EXPECT_TRUE(has(wrong, "value=\"Licht\" checked"));
    EXPECT_TRUE(has(wrong, "name=\"q4_r1\" value=\"ja\" checked"));
    auto done = browser->post_form(path, "q1=selten&q2=Licht&q3=4&q4_r1=ja");
    ASSERT_EQ(done.status, 303) << done.body.substr(0, 500);
    EXPECT_EQ(std::string(done.raw.header("location").value_or("")), path + "/thanks");
    auto thanks = browser->get(path + "/thanks");
    ASSERT_EQ(thanks.status, 200);
    EXPECT_TRUE(has(thanks, "Vielen Dank!"));
    EXPECT_TRUE(has(thanks, "<strong>20</strong>"))
        << "the seeded rule's points, before the consumer ran";
    auto after = browser->get("/portal/surveys");
    EXPECT_TRUE(has(after, "Bereits beantwortet"));
    auto again = browser->get(path);
    EXPECT_TRUE(has(again, "bereits beantwortet"));
    EXPECT_FALSE(has(again, "<form method=\"post\" action=\"" + path));
    auto twice = browser->post_form(path, "q1=oft&q3=1");
    EXPECT_EQ(twice.status, 409);
    EXPECT_TRUE(has(twice, "bereits beantwortet"));
    auto results = h->call(Method::Get, fmt::format("/admin/surveys/{}/results", id), Role::Editor);
    ASSERT_EQ(results.status, 200);
    EXPECT_TRUE(has(results, "<svg"));
    EXPECT_TRUE(has(results, "results.csv"));
    EXPECT_TRUE(has(results, "results.xlsx"));
    auto csv = h->call(Method::Get, fmt::format("/admin/surveys/{}/results.csv", id), Role::Editor);
    EXPECT_EQ(csv.status, 200);
    EXPECT_TRUE(has(csv, "selten"));
}

TEST_P(SurveyPages, AnonymousResultsShowSmallCountsAsLessThanFive) {
    auto r = h->call(Method::Post, "/api/v1/surveys", Role::Editor,
                     {{"title", "Jugendtreff"},
                      {"status", "open"},
                      {"anonymous", true},
                      {"questions",
                       {{{"kind", "single_choice"},
                         {"text", "Kommen Sie?"},
                         {"required", true},
                         {"options", {"ja", "nein"}}},
                        {{"kind", "free_text"}, {"text", "Was wünschen Sie sich?"}}}}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto id = r.json()["id"].get<std::int64_t>();
    auto ben = h->add_citizen("ben@musterstadt.example", "Ben");
    for (auto who : {anna, ben})
        ASSERT_EQ(h->call(Method::Post, fmt::format("/api/v1/surveys/{}/responses", id),
                          Role::Editor,
                          {{"citizen_id", who}, {"answers", {{"q1", "ja"}, {"q2", "Kicker"}}}})
                      .status,
                  201);
    auto page = h->call(Method::Get, fmt::format("/admin/surveys/{}/results", id), Role::Editor);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(has(page, "<td>ja</td><td>&lt; 5</td><td>–</td>")) << page.body;
    EXPECT_TRUE(has(page, "<td>nein</td><td>0</td><td>0 %</td>"));
    EXPECT_TRUE(has(page, "Anzahlen von 1 bis 4"));
    EXPECT_TRUE(has(page, "erst ab 5 Antworten gezeigt"));
    EXPECT_FALSE(has(page, "Kicker"));
}

TEST_P(SurveyPages, ASurveyOutsideThePersonsAudienceIsNotShown) {
    auto r = h->db().transaction(db::TxMode::Write, [](db::Connection& c) {
        return c.query("INSERT INTO segments (id, key, name, rule, created_at, updated_at) VALUES "
                       "(4, 'x', 'X', '{}', 0, 0)");
    });
    ASSERT_TRUE(r);
    auto created = h->call(Method::Post, "/api/v1/surveys", Role::Editor,
                           {{"title", "Nur Segment"},
                            {"status", "open"},
                            {"audience", {{"kind", "segment"}, {"segment_id", 4}}},
                            {"questions", {{{"kind", "free_text"}, {"text", "?"}}}}});
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = created.json()["id"].get<std::int64_t>();
    EXPECT_FALSE(has(browser->get("/portal/surveys"), "Nur Segment"));
    EXPECT_EQ(browser->get(fmt::format("/portal/surveys/{}", id)).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Engines, SurveyPages, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::surveys
