// POST /api/v1/citizens/{id}/merge through the real dispatcher, on SQLite and PostgreSQL:
// the merged profile, problem+json refusals, and who may merge.

#include "citizens/api_fixture.h"

namespace teilhabe::citizens {
namespace {

using http::Method;
using nlohmann::json;
using staff::Role;
using testing::Answer;
using testing::ApiTest;

class MergeApi : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        if (HasFatalFailure())
            return;
        auto f = call(Method::Post, "/api/v1/fields", Role::Editor,
                      {{"key", "birth_year"},
                       {"type", "number"},
                       {"label", {{"de", "Geburtsjahr"}, {"en", "Year of birth"}}}});
        ASSERT_EQ(f.status, 201) << f.body;
        anna = make({{"email", "anna@example.org"},
                     {"first_name", "Anna"},
                     {"tags", {"presse"}},
                     {"attributes", {{"birth_year", 1984}}}});
        dupe = make({{"email", "anna.m@example.org"},
                     {"first_name", "Anne"},
                     {"last_name", "Müller"},
                     {"tags", {"vhs"}},
                     {"interests", {"umwelt"}},
                     {"attributes", {{"birth_year", 1985}}}});
    }
    std::int64_t make(const json& body) {
        auto r = call(Method::Post, "/api/v1/citizens", Role::Editor, body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.body.value("id", std::int64_t{0});
    }
    Answer merge(std::int64_t survivor, const json& body, Role as = Role::Editor) {
        return call(Method::Post, "/api/v1/citizens/" + std::to_string(survivor) + "/merge", as,
                    body);
    }
    static void expect_problem(const Answer& a, int status, const std::string& field = {}) {
        EXPECT_EQ(a.status, status) << a.body;
        EXPECT_EQ(a.content_type, "application/problem+json");
        if (!field.empty()) {
            EXPECT_EQ(a.body["errors"][0]["field"], field) << a.body;
        }
    }
    std::int64_t anna{0}, dupe{0};
};

TEST_P(MergeApi, AnswersTheMergedProfileWithTheChosenValues) {
    auto r = merge(
        anna,
        {{"duplicate_id", dupe},
         {"prefer", {{"first_name", "duplicate"}, {"attributes", {{"birth_year", "survivor"}}}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body["id"], anna);
    EXPECT_EQ(r.body["email"], "anna@example.org");
    EXPECT_EQ(r.body["first_name"], "Anne");
    EXPECT_EQ(r.body["last_name"], "Müller");
    EXPECT_EQ(r.body["tags"], json({"presse", "vhs"}));
    EXPECT_EQ(r.body["interests"], json({"umwelt"}));
    EXPECT_EQ(r.body["attributes"], json({{"birth_year", 1984}}));
    expect_problem(call(Method::Get, "/api/v1/citizens/" + std::to_string(dupe), Role::Editor),
                   404);
    // The history of both is the survivor's (the timeline route itself lives in activity/).
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE citizen_id = ? AND type IN "
                     "('citizen.created', 'citizen.merged')",
                     {anna}),
              3);
    // The duplicate's address is free again.
    EXPECT_GT(make({{"email", "anna.m@example.org"}}), 0);
}

TEST_P(MergeApi, RefusalsAreProblemsWithTheRightStatus) {
    auto path = "/api/v1/citizens/" + std::to_string(anna) + "/merge";
    expect_problem(merge(anna, {{"duplicate_id", anna}}), 422, "duplicate_id");
    expect_problem(merge(anna, json::object()), 422, "duplicate_id");
    expect_problem(merge(anna, {{"duplicate_id", "x"}}), 422, "duplicate_id");
    expect_problem(merge(anna, {{"duplicate_id", dupe}, {"prefer", {{"email", "duplicate"}}}}), 422,
                   "prefer.email");
    expect_problem(merge(anna, {{"duplicate_id", dupe}, {"prefer", {{"shoe", "duplicate"}}}}), 422,
                   "prefer.shoe");
    expect_problem(
        merge(anna, {{"duplicate_id", dupe}, {"prefer", {{"attributes", {{"pet", "duplicate"}}}}}}),
        422, "prefer.attributes.pet");
    expect_problem(call(Method::Post, path, Role::Editor, json("{\"duplicate_id\": ")), 400);
    expect_problem(merge(anna, {{"duplicate_id", 999999}}), 404);
    expect_problem(merge(999999, {{"duplicate_id", dupe}}), 404);
    expect_problem(
        call(Method::Post, "/api/v1/citizens/abc/merge", Role::Editor, {{"duplicate_id", dupe}}),
        404);

    ASSERT_TRUE(m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
        return c.query("UPDATE citizens SET restricted_at = 1 WHERE id = ?", {dupe});
    }));
    auto restricted = merge(anna, {{"duplicate_id", dupe}});
    expect_problem(restricted, 409);
    EXPECT_NE(restricted.body["detail"].get<std::string>().find("Art. 18"), std::string::npos);

    EXPECT_EQ(scalar("SELECT count(*) FROM citizens"), 2) << "nothing was merged";
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE type = 'citizen.merged'"), 0);
}

TEST_P(MergeApi, OnlyRolesThatWriteProfilesMayMerge) {
    for (auto role : {Role::Analyst, Role::DataProtection, Role::Partner})
        expect_problem(merge(anna, {{"duplicate_id", dupe}}, role), 403);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizens"), 2);
    auto r = merge(anna, {{"duplicate_id", dupe}}, Role::Department);
    EXPECT_EQ(r.status, 200) << r.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, MergeApi, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::citizens
