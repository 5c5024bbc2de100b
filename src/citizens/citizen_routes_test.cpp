// /api/v1/citizens through the real dispatcher: statuses, problem+json bodies, permissions per
// role and the audit trail, on SQLite and PostgreSQL.

#include "citizens/api_fixture.h"
#include "ledger/ledger_store.h"

#include <set>

namespace teilhabe::citizens {
namespace {

using http::Method;
using nlohmann::json;
using staff::Role;
using testing::Answer;
using testing::ApiTest;

class CitizenApi : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        auto f = call(Method::Post, "/api/v1/fields", Role::Editor,
                      {{"key", "birth_year"},
                       {"type", "number"},
                       {"min", 1900},
                       {"label", {{"de", "Geburtsjahr"}, {"en", "Year of birth"}}}});
        ASSERT_EQ(f.status, 201) << f.body;
    }
    std::int64_t make(const std::string& email, json extra = json::object()) {
        extra["email"] = email;
        auto r = call(Method::Post, "/api/v1/citizens", Role::Editor, extra);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.body.value("id", std::int64_t{0});
    }
    static void expect_problem(const Answer& a, int status, const std::string& field = {}) {
        EXPECT_EQ(a.status, status) << a.body;
        EXPECT_EQ(a.content_type, "application/problem+json");
        EXPECT_EQ(a.body.value("status", 0), status);
        if (!field.empty()) {
            EXPECT_EQ(a.body["errors"][0]["field"], field) << a.body;
        }
    }
};

TEST_P(CitizenApi, CreateAnswers201WithLocationAndTheProfile) {
    auto r = call(Method::Post, "/api/v1/citizens", Role::Editor,
                  {{"email", " Anna@Example.org "},
                   {"first_name", "Anna"},
                   {"district", "Nord"},
                   {"tags", {"Ehrenamt"}},
                   {"interests", {"kultur"}},
                   {"attributes", {{"birth_year", 1984}}}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    auto id = r.body["id"].get<std::int64_t>();
    EXPECT_EQ(r.location, "/api/v1/citizens/" + std::to_string(id));
    EXPECT_EQ(r.body["email"], "anna@example.org");
    EXPECT_EQ(r.body["tags"], json({"ehrenamt"}));
    EXPECT_EQ(r.body["attributes"], json({{"birth_year", 1984}}));
    auto got = call(Method::Get, r.location, Role::Editor);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.body, r.body);
}

TEST_P(CitizenApi, BadInputIsAProblemWithTheRightStatus) {
    auto id = make("anna@example.org");
    auto path = "/api/v1/citizens/" + std::to_string(id);

    expect_problem(call(Method::Post, "/api/v1/citizens", Role::Editor, json("{\"email\": ")), 400);
    expect_problem(call(Method::Post, "/api/v1/citizens", Role::Editor, json("[1]")), 400);
    expect_problem(call(Method::Post, "/api/v1/citizens", Role::Editor, json("email=a"),
                        {{"content-type", "application/x-www-form-urlencoded"}}),
                   415);
    auto dup =
        call(Method::Post, "/api/v1/citizens", Role::Editor, {{"email", " ANNA@example.ORG"}});
    expect_problem(dup, 409);
    EXPECT_NE(dup.body["detail"].get<std::string>().find("anna@example.org"), std::string::npos);
    expect_problem(call(Method::Post, "/api/v1/citizens", Role::Editor, {{"email", "anna@"}}), 422,
                   "email");
    expect_problem(call(Method::Post, "/api/v1/citizens", Role::Editor,
                        {{"email", "b@example.org"}, {"shoe", 1}}),
                   422, "shoe");

    auto topic = call(Method::Patch, path, Role::Editor, {{"interests", {"kultur", "schach"}}});
    expect_problem(topic, 422, "interests");
    EXPECT_NE(topic.body["detail"].get<std::string>().find("schach"), std::string::npos);
    expect_problem(
        call(Method::Patch, path, Role::Editor, {{"attributes", {{"birth_year", 1800}}}}), 422,
        "attributes.birth_year");
    expect_problem(call(Method::Patch, path, Role::Editor, {{"attributes", {{"nope", 1}}}}), 422,
                   "attributes.nope");

    expect_problem(call(Method::Get, "/api/v1/citizens/999999", Role::Editor), 404);
    expect_problem(call(Method::Get, "/api/v1/citizens/abc", Role::Editor), 404);
    expect_problem(
        call(Method::Patch, "/api/v1/citizens/999999", Role::Editor, {{"first_name", "x"}}), 404);
    expect_problem(call(Method::Get, "/api/v1/citizens?limit=0", Role::Editor), 400, "limit");
    expect_problem(call(Method::Get, "/api/v1/citizens?distrct=Nord", Role::Editor), 400,
                   "distrct");
    expect_problem(call(Method::Get, "/api/v1/citizens?cursor=xyz", Role::Editor), 400, "cursor");
    expect_problem(call(Method::Get, "/api/v1/citizens?field.nope=1", Role::Editor), 400,
                   "field.nope");
}

TEST_P(CitizenApi, PatchIsAMergePatch) {
    auto id = make(
        "clara@example.org",
        {{"first_name", "Clara"}, {"district", "Süd"}, {"attributes", {{"birth_year", 1990}}}});
    auto r =
        call(Method::Patch, "/api/v1/citizens/" + std::to_string(id), Role::Department,
             json(R"({"district": null, "language": "en", "attributes": {"birth_year": null}})"),
             {{"content-type", "application/merge-patch+json"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body["first_name"], "Clara");
    EXPECT_EQ(r.body["district"], "");
    EXPECT_EQ(r.body["language"], "en");
    EXPECT_EQ(r.body["attributes"], json::object());
}

TEST_P(CitizenApi, ReadingAProfileIsAuditedWithWhoAndFromWhere) {
    auto id = make("dora@example.org");
    key(Role::Editor);
    auto key_id = scalar("SELECT id FROM api_keys WHERE role = 'editor'");
    auto r = call(Method::Get, "/api/v1/citizens/" + std::to_string(id), Role::Editor);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.read' AND subject = ? "
                     "AND actor = ? AND ip = '192.0.2.10'",
                     {"citizen:" + std::to_string(id), "apikey:" + std::to_string(key_id)}),
              1);
    auto list = call(Method::Get, "/api/v1/citizens?q=dora", Role::Editor);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.listed' AND detail = "
                     "'1 profiles; filters: q'"),
              1)
        << "the filter's name, not the search term";
}

TEST_P(CitizenApi, EachRoleMayDoWhatItsPermissionsSay) {
    auto id = make("emil@example.org");
    auto path = "/api/v1/citizens/" + std::to_string(id);
    // The analyst sees aggregates only, never a person; partners see vouchers only.
    expect_problem(call(Method::Get, path, Role::Analyst), 403);
    expect_problem(call(Method::Get, "/api/v1/citizens", Role::Analyst), 403);
    expect_problem(call(Method::Get, path, Role::Partner), 403);
    expect_problem(
        call(Method::Post, "/api/v1/citizens", Role::DataProtection, {{"email", "x@example.org"}}),
        403);
    EXPECT_EQ(call(Method::Get, path, Role::DataProtection).status, 200);
    EXPECT_EQ(call(Method::Get, path, Role::Department).status, 200);
    expect_problem(send(Method::Get, path, {}, nullptr), 401);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.read'"), 2)
        << "refused requests read nothing";

    // Erasure (GDPR Art. 17) is a data-protection request, not an editor's.
    expect_problem(call(Method::Delete, path, Role::Editor), 403);
    auto del = call(Method::Delete, path, Role::DataProtection);
    EXPECT_EQ(del.status, 204);
    // Nothing about the person is left, not even in the activity log.
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE citizen_id = " + std::to_string(id)), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.erased'"), 1);
    expect_problem(call(Method::Get, path, Role::Admin), 404);
    expect_problem(call(Method::Delete, path, Role::Admin), 404);
}

// A person who still holds Stadttaler is not erased: 409 problem+json naming the amount, the
// field stadttaler_balance and the pay-out; once the balance is paid out, the erasure goes on.
TEST_P(CitizenApi, ErasureIsRefusedWhileThePersonHoldsStadttaler) {
    auto id = make("stadttaler@example.org");
    auto path = "/api/v1/citizens/" + std::to_string(id);
    auto wallet = ledger::AccountRef::citizen(id, ledger::Currency::Stadttaler);
    auto town = ledger::AccountRef::town(ledger::Currency::Stadttaler);
    auto move = [&](const char* key, ledger::AccountRef from, ledger::AccountRef to,
                    std::string_view kind) {
        return m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
            return ledger::transfer(c,
                                    {.idempotency_key = key,
                                     .from = from,
                                     .to = to,
                                     .amount = 705,
                                     .kind = std::string(kind),
                                     .reason = "Test",
                                     .object = "test",
                                     .actor = "staff:1"},
                                    m_clock.now());
        });
    };
    ASSERT_TRUE(move("in", town, wallet, ledger::kind::topup));
    auto refused = call(Method::Delete, path, Role::DataProtection);
    expect_problem(refused, 409, "stadttaler_balance");
    auto detail = refused.body.value("detail", "");
    EXPECT_NE(detail.find("7,05 €"), std::string::npos) << detail;
    EXPECT_NE(detail.find("/api/v1/stadttaler/payouts"), std::string::npos) << detail;
    EXPECT_EQ(scalar("SELECT count(*) FROM citizens WHERE id = " + std::to_string(id)), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.erased'"), 0);
    ASSERT_TRUE(move("out", wallet, town, ledger::kind::payout));
    EXPECT_EQ(call(Method::Delete, path, Role::DataProtection).status, 204);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizens WHERE id = " + std::to_string(id)), 0);
}

TEST_P(CitizenApi, ARestrictedProfileIsListedButNotChanged) {
    auto id = make("fritz@example.org");
    make("gerda@example.org");
    auto path = "/api/v1/citizens/" + std::to_string(id);
    // GDPR Art. 18, as gdpr/gdpr_store.cpp sets it.
    ASSERT_TRUE(m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
        return c.query("UPDATE citizens SET restricted_at = 1 WHERE id = ?", {id});
    }));
    expect_problem(call(Method::Patch, path, Role::Editor, {{"first_name", "F"}}), 409);
    auto listed = call(Method::Get, "/api/v1/citizens?restricted=true", Role::Editor);
    ASSERT_EQ(listed.body["items"].size(), 1u);
    EXPECT_EQ(listed.body["items"][0]["restricted"], true);
    EXPECT_EQ(
        call(Method::Get, "/api/v1/citizens?restricted=false", Role::Editor).body["items"].size(),
        1u);
}

TEST_P(CitizenApi, ListPagesWithAnOpaqueCursor) {
    std::set<std::int64_t> made;
    for (int i = 0; i < 5; ++i)
        made.insert(make("p" + std::to_string(i) + "@example.org", {{"district", "Nord"}}));
    make("other@example.org", {{"district", "Süd"}});
    std::set<std::int64_t> seen;
    std::string next = "/api/v1/citizens?district=Nord&limit=2";
    int pages = 0;
    while (!next.empty() && pages < 10) {
        auto r = call(Method::Get, next, Role::Editor);
        ASSERT_EQ(r.status, 200) << r.body;
        ++pages;
        for (const auto& item : r.body["items"])
            EXPECT_TRUE(seen.insert(item["id"].get<std::int64_t>()).second) << "seen twice";
        next = r.body["next_cursor"].is_null() ? ""
                                               : "/api/v1/citizens?district=Nord&limit=2&cursor=" +
                                                     r.body["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(seen, made);
    EXPECT_EQ(pages, 3);
}

// Broken UTF-8 and NUL bytes reach the handlers through percent-decoding and JSON escapes;
// they are refused as input, never a 500 (JSON cannot carry them back) nor an engine error.
TEST_P(CitizenApi, HostileTextIsRefusedNotCrashedOn) {
    expect_problem(call(Method::Get, "/api/v1/citizens/\xFF\xFE", Role::Editor), 404);
    expect_problem(call(Method::Get, "/api/v1/fields/\xFF", Role::Editor), 404);
    expect_problem(call(Method::Get, "/api/v1/citizens?q=%00", Role::Editor), 400);
    expect_problem(call(Method::Get, "/api/v1/citizens?q=%FF", Role::Editor), 400);
    expect_problem(call(Method::Post, "/api/v1/citizens", Role::Editor,
                        json(R"({"email": "n@example.org", "first_name": "a\u0000b"})")),
                   422, "first_name");
    expect_problem(call(Method::Post, "/api/v1/citizens", Role::Editor,
                        json(R"({"email": "n@example.org", "interests": ["kultur\u0000"]})")),
                   422, "interests");
    expect_problem(call(Method::Post, "/api/v1/citizens", Role::Editor,
                        json(R"({"email": "n@example.org", "attributes": {"a\u0000": 1}})")),
                   422);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizens WHERE email = 'n@example.org'"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CitizenApi, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::citizens
