// The points API through the real dispatcher on both engines: balances and entries, manual
// awards with Idempotency-Key both ways, corrections by reversal, the rules' CRUD, permissions.

#include "ledger/ledger_store.h"
#include "points/routes.h"
#include "web/api_harness.h"

#include <gtest/gtest.h>

namespace teilhabe::points {
namespace {

using http::Method;
using staff::Role;

class PointsApiTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = web::testing::ApiHarness::create(GetParam(), routes());
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@musterstadt.example", "Anna");
    }
    void TearDown() override {
        if (h)
            ledger::check_or_abort(*h->db().acquire().value());
    }
    web::testing::ApiResponse award(const nlohmann::json& body, const std::string& key,
                                    Role as = Role::Editor) {
        http::Headers headers;
        if (!key.empty())
            headers.push_back({"idempotency-key", key});
        return h->call(Method::Post, "/api/v1/points/awards", as, body, headers);
    }
    std::string points_path() const { return "/api/v1/citizens/" + std::to_string(anna) + "/points"; }
    std::unique_ptr<web::testing::ApiHarness> h;
    std::int64_t anna{0};
};

TEST_P(PointsApiTest, AwardsAreIdempotentAndShowInTheCitizensPoints) {
    nlohmann::json body{{"citizen_id", anna}, {"points", 15}, {"reason", "Hilfe beim Stadtfest"}};
    EXPECT_EQ(award(body, "").status, 400);
    auto first = award(body, "k-1");
    ASSERT_EQ(first.status, 201) << first.body;
    auto again = award(body, "k-1");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json()["id"], first.json()["id"]);
    body["points"] = 16;
    auto other = award(body, "k-1");
    EXPECT_EQ(other.status, 409) << other.body;
    EXPECT_EQ(other.content_type, "application/problem+json");
    body["points"] = 0;
    EXPECT_EQ(award(body, "k-2").status, 422);
    body["points"] = 5;
    body["citizen_id"] = 99999;
    EXPECT_EQ(award(body, "k-3").status, 422);
    EXPECT_EQ(award({{"citizen_id", anna}, {"points", 5}, {"reason", "x"}}, "k-4", Role::Analyst).status,
              403);

    auto p = h->call(Method::Get, points_path(), Role::Department);
    ASSERT_EQ(p.status, 200) << p.body;
    auto j = p.json();
    EXPECT_EQ(j["balances"]["points"], 15);
    EXPECT_EQ(j["balances"]["stadttaler"], 0);
    ASSERT_EQ(j["entries"].size(), 1u);
    EXPECT_EQ(j["entries"][0]["amount"], 15);
    EXPECT_EQ(j["entries"][0]["kind"], "award");
    EXPECT_EQ(j["entries"][0]["reason"], "Hilfe beim Stadtfest");
    EXPECT_EQ(h->call(Method::Get, "/api/v1/citizens/99999/points", Role::Department).status, 404);
    EXPECT_EQ(h->call(Method::Get, points_path(), Role::Partner).status, 403);
}

TEST_P(PointsApiTest, CorrectionsReverseOnce) {
    auto t = award({{"citizen_id", anna}, {"points", 10}, {"reason", "Versehen"}}, "k");
    ASSERT_EQ(t.status, 201);
    nlohmann::json fix{{"citizen_id", anna}, {"transfer_id", t.json()["id"]}, {"reason", "doppelt"}};
    auto r = h->call(Method::Post, "/api/v1/points/corrections", Role::Editor, fix,
                     {{"idempotency-key", "c1"}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["reverses"], t.json()["id"]);
    auto twice = h->call(Method::Post, "/api/v1/points/corrections", Role::Editor, fix,
                         {{"idempotency-key", "c2"}});
    EXPECT_EQ(twice.status, 409) << twice.body;
    auto j = h->call(Method::Get, points_path(), Role::Editor).json();
    EXPECT_EQ(j["balances"]["points"], 0);
    EXPECT_EQ(j["entries"][1]["reversed_by"], r.json()["id"]);
}

TEST_P(PointsApiTest, RulesCanBeCreatedChangedAndDisabled) {
    auto list = h->call(Method::Get, "/api/v1/points/rules", Role::Editor);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json()["items"].size(), 4u); // the defaults
    EXPECT_EQ(list.json()["items"][0]["activity_type"], "newsletter.confirmed");
    nlohmann::json rule{{"name", "Bücherei"}, {"activity_type", "library.loan"}, {"points", 3},
                        {"cap_per_day", 2}, {"filter", {{"props.branch", "nord"}}}};
    auto made = h->call(Method::Post, "/api/v1/points/rules", Role::Editor, rule);
    ASSERT_EQ(made.status, 201) << made.body;
    auto id = made.json()["id"].get<std::int64_t>();
    auto path = "/api/v1/points/rules/" + std::to_string(id);
    auto changed = h->call(Method::Patch, path, Role::Editor, {{"points", 4}, {"cap_per_day", nullptr}});
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(changed.json()["points"], 4);
    EXPECT_TRUE(changed.json()["cap_per_day"].is_null());
    EXPECT_EQ(changed.json()["filter"]["props.branch"], "nord");
    auto bad = h->call(Method::Patch, path, Role::Editor, {{"filter", {{"colour", "red"}}}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(h->call(Method::Post, "/api/v1/points/rules", Role::Editor,
                      {{"name", "Schleife"}, {"activity_type", "points.earned"}, {"points", 1}})
                  .status,
              422);
    EXPECT_EQ(h->call(Method::Delete, path, Role::Editor).status, 204);
    EXPECT_EQ(h->call(Method::Get, path, Role::Editor).json()["enabled"], false);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/points/rules/777", Role::Editor).status, 404);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/points/rules", Role::Department).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, PointsApiTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::points
