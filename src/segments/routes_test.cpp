// The segments API and admin pages through the real dispatcher, on SQLite and PostgreSQL:
// create with JSON or text, errors as problem+json pointing at the part, members with a cursor,
// the preview, who may use them, and the editor's messages beside the field.

#include "activity/activity_store.h"
#include "segments/jobs.h"
#include "segments/routes.h"
#include "web/api_harness.h"

#include <gtest/gtest.h>

namespace teilhabe::segments {
namespace {

using http::Method;
using staff::Role;
using web::testing::ApiHarness;

class SegmentApiTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = ApiHarness::create(GetParam(), routes());
        ASSERT_TRUE(h);
    }
    std::int64_t count(const std::string& sql) { return h->db().acquire().value()->query_one(sql).value().get_int(0); }
    void exec(const std::string& sql, const db::Params& p = {}) {
        auto r = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) { return c.execute(sql, p); });
        ASSERT_TRUE(r) << r.error().message;
    }
    web::testing::ApiResponse post_form(const std::string& path, const std::string& form) {
        return h->call(Method::Post, path, Role::Editor, nlohmann::json(form),
                       {{"content-type", "application/x-www-form-urlencoded"}});
    }
    void compute(std::int64_t id, std::int64_t version = 1) {
        ASSERT_TRUE(run_compute(h->db(), h->clock(), id, version));
    }
    std::unique_ptr<ApiHarness> h;
};

TEST_P(SegmentApiTest, CreateReadChangeAndDeleteWithJsonOrText) {
    for (int i = 0; i < 5; ++i) {
        auto id = h->add_citizen("p" + std::to_string(i) + "@example.org");
        if (i < 3)
            exec("UPDATE citizens SET district = 'Nord' WHERE id = ?", {id});
    }
    auto r = h->call(Method::Post, "/api/v1/segments", Role::Editor,
                     {{"key", "nord"}, {"name", "Nord"}, {"rule", {{"field", "district"}, {"value", "Nord"}}}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto j = r.json();
    auto id = j["id"].get<std::int64_t>();
    EXPECT_EQ(r.raw.header("location").value_or(""), "/api/v1/segments/" + std::to_string(id));
    EXPECT_EQ(j["rule_text"], "district = \"Nord\"");
    EXPECT_EQ(j["status"], "computing");
    compute(id);
    auto one = h->call(Method::Get, "/api/v1/segments/" + std::to_string(id), Role::Editor);
    ASSERT_EQ(one.status, 200);
    EXPECT_EQ(one.json()["member_count"], 3);
    EXPECT_EQ(one.json()["status"], "live");

    auto text = h->call(Method::Post, "/api/v1/segments", Role::Editor,
                        {{"key", "alle"}, {"name", "Alle"}, {"rule_text", "nicht district = \"Nord\""}});
    ASSERT_EQ(text.status, 201) << text.body;
    EXPECT_EQ(text.json()["rule"], nlohmann::json({{"not", {{"field", "district"}, {"op", "eq"}, {"value", "Nord"}}}}));
    auto list = h->call(Method::Get, "/api/v1/segments", Role::Editor);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json()["items"].size(), 2u);

    auto changed = h->call(Method::Patch, "/api/v1/segments/" + std::to_string(id), Role::Editor,
                           {{"rule_text", "district = \"Süd\""}});
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(changed.json()["version"], 2);
    compute(id, 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM segment_members WHERE segment_id = " + std::to_string(id)), 0);

    EXPECT_EQ(h->call(Method::Delete, "/api/v1/segments/" + std::to_string(id), Role::Editor).status, 204);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/segments/" + std::to_string(id), Role::Editor).status, 404);
    EXPECT_EQ(h->call(Method::Delete, "/api/v1/segments/" + std::to_string(id), Role::Editor).status, 404);
}

TEST_P(SegmentApiTest, BadRulesAre422PointingAtThePart) {
    auto json_error = h->call(Method::Post, "/api/v1/segments", Role::Editor, nlohmann::json::parse(R"({
        "key": "x", "name": "X",
        "rule": {"all": [{"tag": "a"}, {"field": "district", "op": "near", "value": "x"}]}})"));
    ASSERT_EQ(json_error.status, 422) << json_error.body;
    EXPECT_EQ(json_error.content_type, "application/problem+json");
    EXPECT_EQ(json_error.json()["errors"][0]["field"], "/rule/all/1/op");

    auto text_error = h->call(Method::Post, "/api/v1/segments", Role::Editor,
                              {{"key", "x"}, {"name", "X"}, {"rule_text", "tag \"a\" adn tag \"b\""}});
    ASSERT_EQ(text_error.status, 422);
    EXPECT_EQ(text_error.json()["errors"][0]["field"], "rule_text");
    EXPECT_NE(text_error.json()["detail"].get<std::string>().find("line 1, column 9 ('adn')"), std::string::npos)
        << text_error.body;

    auto unknown_field = h->call(Method::Post, "/api/v1/segments", Role::Editor,
                                 {{"key", "x"}, {"name", "X"}, {"rule_text", "attribute schuhgroesse > 40"}});
    ASSERT_EQ(unknown_field.status, 422);
    EXPECT_EQ(unknown_field.json()["errors"][0]["field"], "/rule/attribute");

    ASSERT_EQ(h->call(Method::Post, "/api/v1/segments", Role::Editor,
                      {{"key", "x"}, {"name", "X"}, {"rule_text", "tag \"a\""}})
                  .status,
              201);
    auto taken = h->call(Method::Post, "/api/v1/segments", Role::Editor,
                         {{"key", "x"}, {"name", "X"}, {"rule_text", "tag \"a\""}});
    ASSERT_EQ(taken.status, 422);
    EXPECT_EQ(taken.json()["errors"][0]["field"], "key");
    EXPECT_EQ(count("SELECT COUNT(*) FROM segments"), 1);
}

TEST_P(SegmentApiTest, MembersComePageByPageAndReadingThemIsAudited) {
    for (int i = 0; i < 7; ++i) {
        auto id = h->add_citizen("m" + std::to_string(i) + "@example.org");
        exec("INSERT INTO citizen_tags (citizen_id, tag) VALUES (?, 'ehrenamt')", {id});
    }
    auto r = h->call(Method::Post, "/api/v1/segments", Role::Editor,
                     {{"key", "ehrenamt"}, {"name", "Ehrenamt"}, {"rule_text", "tag \"ehrenamt\""}});
    auto id = r.json()["id"].get<std::int64_t>();
    compute(id);
    std::string path = "/api/v1/segments/" + std::to_string(id) + "/members?limit=3";
    std::vector<std::string> emails;
    std::string cursor;
    for (int page = 0; page < 5; ++page) {
        auto p = h->call(Method::Get, path + (cursor.empty() ? "" : "&cursor=" + cursor), Role::Editor);
        ASSERT_EQ(p.status, 200) << p.body;
        auto j = p.json();
        for (const auto& m : j["items"])
            emails.push_back(m["email"]);
        if (j["next_cursor"].is_null())
            break;
        cursor = j["next_cursor"];
    }
    EXPECT_EQ(emails.size(), 7u);
    EXPECT_EQ(emails.front(), "m0@example.org");
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'segment.members.read'"), 3);
    EXPECT_EQ(h->call(Method::Get, path + "&cursor=abc", Role::Editor).status, 422);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/segments/999/members", Role::Editor).status, 404);
}

TEST_P(SegmentApiTest, PreviewCountsAndSamplesARule) {
    for (int i = 0; i < 12; ++i)
        h->add_citizen("s" + std::to_string(i) + "@example.org", i % 2 ? "Anna" : "Bob");
    auto p = h->call(Method::Post, "/api/v1/segments/preview", Role::Editor, {{"rule_text", "first_name = \"Anna\""}});
    ASSERT_EQ(p.status, 200) << p.body;
    EXPECT_EQ(p.json()["count"], 6);
    EXPECT_EQ(p.json()["sample"].size(), 6u);
    auto bad = h->call(Method::Post, "/api/v1/segments/preview", Role::Editor, {{"rule_text", "first_name ="}});
    EXPECT_EQ(bad.status, 422);
}

TEST_P(SegmentApiTest, OnlyThoseWhoManageSegmentsMayUseThem) {
    for (auto role : {Role::Analyst, Role::Department})
        EXPECT_EQ(h->call(Method::Get, "/api/v1/segments", role).status, 403);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/segments", Role::Admin).status, 200);
    EXPECT_EQ(h->call_anonymous(Method::Get, "/api/v1/segments").status, 401);
}

TEST_P(SegmentApiTest, EditorShowsErrorsBesideTheRuleAndPreviewsWithoutJavaScript) {
    h->add_citizen("anna@example.org", "Anna");
    auto list = h->call(Method::Get, "/admin/segments", Role::Editor);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_NE(list.body.find("Noch keine Segmente"), std::string::npos);

    auto bad = post_form("/admin/segments/new", "name=Test&key=test&rule_text=first_name+%3D+Anna");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("rule_text-error"), std::string::npos) << bad.body;
    EXPECT_NE(bad.body.find("column 14"), std::string::npos);
    EXPECT_NE(bad.body.find("first_name = Anna"), std::string::npos); // the input is kept
    EXPECT_EQ(count("SELECT COUNT(*) FROM segments"), 0);

    auto preview = post_form("/admin/segments/new",
                             "name=Test&key=test&rule_text=first_name+%3D+%22Anna%22&action=preview");
    ASSERT_EQ(preview.status, 200);
    EXPECT_NE(preview.body.find("1 Personen"), std::string::npos) << preview.body;
    EXPECT_NE(preview.body.find("anna@example.org"), std::string::npos);
    auto fragment = post_form("/admin/segments/preview", "rule_text=first_name+%3D+%22Anna%22");
    ASSERT_EQ(fragment.status, 200);
    EXPECT_NE(fragment.body.find("segment-preview"), std::string::npos);
    EXPECT_EQ(fragment.body.find("<html"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM segments"), 0);

    auto ok = post_form("/admin/segments/new", "name=Test&key=test&rule_text=first_name+%3D+%22Anna%22");
    ASSERT_EQ(ok.status, 303) << ok.body;
    auto location = std::string(ok.raw.header("location").value_or(""));
    auto edit = h->call(Method::Get, location, Role::Editor);
    ASSERT_EQ(edit.status, 200);
    EXPECT_NE(edit.body.find("first_name = &quot;Anna&quot;"), std::string::npos) << edit.body;
    auto confirm = h->call(Method::Get, location + "/delete", Role::Editor);
    ASSERT_EQ(confirm.status, 200);
    EXPECT_EQ(count("SELECT COUNT(*) FROM segments"), 1);
    auto deleted = post_form(location + "/delete", "");
    ASSERT_EQ(deleted.status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM segments"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SegmentApiTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::segments
