// The activity API through the real dispatcher, on SQLite and PostgreSQL.

#include "activity/routes.h"
#include "web/api_harness.h"

#include <gtest/gtest.h>

namespace teilhabe::activity {
namespace {

using http::Method;
using staff::Role;
using web::testing::ApiHarness;

class ActivityApiTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = ApiHarness::create(GetParam(), routes());
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@musterstadt.example", "Anna");
    }
    web::testing::ApiResponse post(const nlohmann::json& body, const std::string& key,
                                   Role as = Role::Editor) {
        return h->call(Method::Post, "/api/v1/activities", as, body, {{"idempotency-key", key}});
    }
    std::unique_ptr<ApiHarness> h;
    std::int64_t anna{0};
};

TEST_P(ActivityApiTest, RecordsOnceAndAReplayAnswersTheSame) {
    nlohmann::json body{{"type", "library.loan"},
                        {"email", "  Anna@Musterstadt.example "},
                        {"object", "book:4711"},
                        {"props", {{"branch", "Mitte"}}},
                        {"occurred_at", "2026-05-01T11:00:00+01:00"}};
    auto first = post(body, "k-1");
    ASSERT_EQ(first.status, 201) << first.body;
    auto j = first.json();
    EXPECT_EQ(j["citizen_id"], anna);
    EXPECT_EQ(j["occurred_at"], "2026-05-01T10:00:00.000Z");
    EXPECT_EQ(j["props"]["branch"], "Mitte");
    EXPECT_TRUE(j["actor"].get<std::string>().starts_with("apikey:"));

    auto again = post(body, "k-1");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json()["id"], j["id"]);

    body["object"] = "book:4712";
    auto other = post(body, "k-1");
    EXPECT_EQ(other.status, 409);
    EXPECT_EQ(other.content_type, "application/problem+json");

    auto count = h->db().acquire().value()->query_one("SELECT COUNT(*) FROM activities");
    EXPECT_EQ(count->get_int(0), 1);
}

// An activity adds to what is stored about the person: who recorded it, from where, is in the
// audit log once (a replay records nothing new), with the type but not the details.
TEST_P(ActivityApiTest, RecordingIsAuditedWithTheClientAddress) {
    nlohmann::json body{{"type", "pool.visit"}, {"citizen_id", anna}, {"props", {{"pool", "Süd"}}}};
    ASSERT_EQ(post(body, "k-audit").status, 201);
    ASSERT_EQ(post(body, "k-audit").status, 200);
    auto row = h->db().acquire().value()->query(
        "SELECT actor, subject, detail, ip FROM audit_log WHERE action = 'activity.recorded'");
    ASSERT_TRUE(row) << row.error().message;
    ASSERT_EQ(row->rows.size(), 1u);
    EXPECT_TRUE(row->first().get_text(0).starts_with("apikey:"));
    EXPECT_EQ(row->first().get_text(1), "citizen:" + std::to_string(anna));
    EXPECT_EQ(row->first().get_text(2), "pool.visit");
    EXPECT_EQ(row->first().get_text(3), "192.0.2.20");
}

TEST_P(ActivityApiTest, BadInputIsAProblemThatNamesTheField) {
    struct Case {
        nlohmann::json body;
        std::string field;
    };
    std::vector<Case> cases = {
        {{{"email", "anna@musterstadt.example"}}, "type"},
        {{{"type", "Library Loan"}, {"citizen_id", anna}}, "type"},
        {{{"type", "library.loan"}}, "citizen_id"},
        {{{"type", "library.loan"}, {"citizen_id", anna}, {"email", "anna@musterstadt.example"}}, "email"},
        {{{"type", "library.loan"}, {"citizen_id", 999999}}, "citizen_id"},
        {{{"type", "library.loan"}, {"email", "nobody@musterstadt.example"}}, "email"},
        {{{"type", "library.loan"}, {"citizen_id", anna}, {"props", "x"}}, "props"},
        {{{"type", "library.loan"}, {"citizen_id", anna}, {"occurred_at", "gestern"}}, "occurred_at"},
        {{{"type", "library.loan"}, {"citizen_id", anna}, {"occurred_at", "2099-01-01T00:00:00Z"}}, "occurred_at"},
        {{{"type", "library.loan"}, {"citizen_id", anna}, {"colour", "blue"}}, "colour"},
        // A consent cannot be forged from outside.
        {{{"type", "newsletter.confirmed"}, {"citizen_id", anna}}, "type"},
        // Nor points or money.
        {{{"type", "points.earned"}, {"citizen_id", anna}}, "type"},
        {{{"type", "stadttaler.topped_up"}, {"citizen_id", anna}}, "type"},
    };
    int n = 0;
    for (const auto& c : cases) {
        auto r = post(c.body, "bad-" + std::to_string(n++));
        EXPECT_EQ(r.status, 400) << c.body.dump() << " " << r.body;
        EXPECT_EQ(r.content_type, "application/problem+json");
        auto j = r.json();
        ASSERT_TRUE(j.contains("errors")) << r.body;
        EXPECT_EQ(j["errors"][0]["field"], c.field) << c.body.dump();
    }
    auto no_key = h->call(Method::Post, "/api/v1/activities", Role::Editor,
                          {{"type", "library.loan"}, {"citizen_id", anna}});
    EXPECT_EQ(no_key.status, 400);
    auto not_json = post(std::string("{\"type\": "), "bad-json");
    EXPECT_EQ(not_json.status, 400);
    EXPECT_NE(not_json.body.find("Malformed JSON"), std::string::npos);

    auto count = h->db().acquire().value()->query_one("SELECT COUNT(*) FROM activities");
    EXPECT_EQ(count->get_int(0), 0) << "nothing may be written by a refused request";
}

TEST_P(ActivityApiTest, OnlyRolesThatMayRecordCanPost) {
    nlohmann::json body{{"type", "pool.visit"}, {"citizen_id", anna}};
    EXPECT_EQ(post(body, "r-1", Role::Analyst).status, 403);
    EXPECT_EQ(post(body, "r-2", Role::Partner).status, 403);
    EXPECT_EQ(post(body, "r-3", Role::Department).status, 201);
    EXPECT_EQ(h->call_anonymous(Method::Post, "/api/v1/activities", body).status, 401);
}

TEST_P(ActivityApiTest, TimelineIsNewestFirstPagedAndAudited) {
    for (int i = 0; i < 5; ++i) {
        h->clock().advance(std::chrono::minutes(1));
        ASSERT_EQ(post({{"type", "pool.visit"}, {"citizen_id", anna}, {"object", std::to_string(i)}},
                       "t-" + std::to_string(i))
                      .status,
                  201);
    }
    auto bob = h->add_citizen("bob@musterstadt.example");
    ASSERT_EQ(post({{"type", "pool.visit"}, {"citizen_id", bob}}, "t-bob").status, 201);

    std::vector<std::string> seen;
    std::string path = "/api/v1/citizens/" + std::to_string(anna) + "/timeline?limit=2";
    std::string cursor;
    for (int page = 0; page < 10; ++page) {
        auto r = h->call(Method::Get, path + (cursor.empty() ? "" : "&cursor=" + cursor), Role::Editor);
        ASSERT_EQ(r.status, 200) << r.body;
        auto j = r.json();
        EXPECT_LE(j["items"].size(), 2u);
        for (const auto& item : j["items"]) {
            seen.push_back(item["object"]);
            EXPECT_EQ(item["actor_name"], "API: test editor");
        }
        if (j["next_cursor"].is_null())
            break;
        cursor = j["next_cursor"];
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"4", "3", "2", "1", "0"}));

    auto audits = h->db().acquire().value()->query_one(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.timeline.read' AND subject = ?",
        {"citizen:" + std::to_string(anna)});
    EXPECT_EQ(audits->get_int(0), 3);

    EXPECT_EQ(h->call(Method::Get, "/api/v1/citizens/999999/timeline", Role::Editor).status, 404);
    EXPECT_EQ(h->call(Method::Get, path + "&cursor=nonsense", Role::Editor).status, 400);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/citizens/1/timeline?limit=0", Role::Editor).status, 400);
    // The analyst sees figures, not people.
    EXPECT_EQ(h->call(Method::Get, path, Role::Analyst).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, ActivityApiTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::activity
