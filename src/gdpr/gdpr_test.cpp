// GDPR rights on both engines: every table that refers to a citizen is covered, export gathers
// it all, erasure leaves nothing of the person, restriction is recorded with proof.

#include "activity/activity_store.h"
#include "delivery/suppression_store.h"
#include "gdpr/gdpr_store.h"
#include "gdpr/person_merge.h"
#include "gdpr/personal_data.h"
#include "gdpr/routes.h"
#include "web/api_harness.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace teilhabe::gdpr {
namespace {

using http::Method;
using staff::Role;

class GdprTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = web::testing::ApiHarness::create(GetParam(), routes());
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@musterstadt.example", "Anna");
        bob = h->add_citizen("bob@musterstadt.example", "Bob");
        auto now = h->clock().now_ms();
        exec("INSERT INTO topics (id, key, name_de, name_en, created_at) VALUES (1, 'kultur', "
             "'Kultur', 'Culture', ?)", {now});
        exec("INSERT INTO fields (id, key, type, label_de, label_en, created_at, updated_at) "
             "VALUES (1, 'has_dog', 'bool', 'Hund', 'Dog', ?, ?)", {now, now});
        exec("INSERT INTO webhooks (id, url, secret, created_at, updated_at) VALUES (1, "
             "'https://cms.example/hook', 'whsec_x', ?, ?)", {now, now});
        exec("INSERT INTO campaigns (id, name, created_at, updated_at) VALUES (1, 'Frühjahrsputz', ?, ?)",
             {now, now});
        exec("INSERT INTO ledger_accounts (owner, owner_id, currency, balance, created_at, "
             "updated_at) VALUES ('town', 0, 'points', -10, ?, ?)", {now, now});
        exec("INSERT INTO segments (id, key, name, rule, created_at, updated_at) VALUES (1, 'ehrenamt', "
             "'Ehrenamt', '{\"tag\":\"ehrenamt\"}', ?, ?)", {now, now});
        exec("INSERT INTO journeys (id, name, definition, created_at, updated_at) VALUES (1, 'Willkommen', "
             "'{}', ?, ?)", {now, now});
        exec("INSERT INTO partners (id, name, created_at, updated_at) VALUES (1, 'Freibad', ?, ?)",
             {now, now});
        exec("INSERT INTO offers (id, title, price_points, created_at, updated_at) VALUES (1, "
             "'Eintritt', 5, ?, ?)", {now, now});
        exec("INSERT INTO surveys (id, title, created_at, updated_at) VALUES (1, 'Stadtpark', ?, ?)",
             {now, now});
        exec("INSERT INTO events (id, title, starts_at, ends_at, status, created_at, updated_at) "
             "VALUES (1, 'Putztag', ?, ?, 'published', ?, ?)", {now + 1000, now + 2000, now, now});
        for (auto id : {anna, bob}) {
            // A named survey's participation and answers (surveys/).
            exec("INSERT INTO survey_participations (survey_id, citizen_id, completed_at) VALUES "
                 "(1, ?, ?)", {id, now});
            exec("INSERT INTO survey_responses (id, survey_id, citizen_id, submitted_at, answers) "
                 "VALUES (?, 1, ?, ?, '{}')", {"r" + std::to_string(id), id, now});
            // A place in a journey (journeys/).
            exec("INSERT INTO journey_enrolments (journey_id, citizen_id, trigger_key, step, entered_at, "
                 "step_entered_at) VALUES (1, ?, ?, 's1', ?, ?)",
                 {id, "activity:" + std::to_string(id), now, now});
            exec("INSERT INTO citizen_tags (citizen_id, tag) VALUES (?, 'ehrenamt')", {id});
            exec("INSERT INTO citizen_interests (citizen_id, topic_id, created_at) VALUES (?, 1, ?)",
                 {id, now});
            exec("INSERT INTO citizen_values (citizen_id, field_id, value, recorded_at) VALUES "
                 "(?, 1, 'true', ?)", {id, now});
            exec("INSERT INTO webhook_deliveries (webhook_id, event_type, citizen_id, created_at) "
                 "VALUES (1, 'pool.visit', ?, ?)", {id, now});
            exec("INSERT INTO outbox (kind, campaign_id, citizen_id, email, payload, state, due_at, "
                 "created_at, updated_at) SELECT 'campaign', 1, id, email, 'MIME', 'queued', ?, ?, ? "
                 "FROM citizens WHERE id = ?", {now, now, now, id});
            // Consent with its proof, its history and a double opt-in token (consent/).
            exec("INSERT INTO consents (citizen_id, subject, topic_id, status, consent_text_id, "
                 "requested_at, request_ip, updated_at) VALUES (?, 'topic:1', 1, 'confirmed', 1, "
                 "?, '203.0.113.1', ?)", {id, now, now});
            exec("INSERT INTO consent_events (citizen_id, subject, topic_id, action, "
                 "consent_text_id, at) VALUES (?, 'topic:1', 1, 'requested', 1, ?)", {id, now});
            exec("INSERT INTO consent_tokens (token_hash, citizen_id, consent_ids, created_at, "
                 "expires_at) VALUES (?, ?, '[]', ?, ?)",
                 {"hash" + std::to_string(id), id, now, now});
            // A tracked click (an activity, as the click recorder writes it) and an unsubscribe
            // through a campaign (campaigns/).
            exec("INSERT INTO activities (type, citizen_id, actor, object, props, occurred_at, recorded_at) "
                 "VALUES ('email.clicked', ?, 'citizen:' || ?, 'topic:kultur', "
                 "'{\"campaign_id\":1,\"topic\":\"kultur\",\"url\":\"https://musterstadt.example/putz\"}', ?, ?)",
                 {id, id, now, now});
            exec("INSERT INTO campaign_unsubscribes (campaign_id, citizen_id, at) VALUES (1, ?, ?)",
                 {id, now});
            // A portal account with a session (portal/).
            exec("INSERT INTO citizen_accounts (citizen_id, email, password_hash, verified_at, "
                 "created_at, updated_at) SELECT id, email, '$argon2id$secret-hash', ?, ?, ? FROM "
                 "citizens WHERE id = ?", {now, now, now, id});
            exec("INSERT INTO citizen_sessions (token_hash, account_id, csrf_token, created_at, "
                 "last_seen_at, expires_at) SELECT 'session' || id, id, 'csrf', ?, ?, ? FROM "
                 "citizen_accounts WHERE citizen_id = ?", {now, now, now, id});
            // A question of progressive profiling the person declined (portal/).
            exec("INSERT INTO portal_declines (citizen_id, field_id, declined_at) VALUES (?, 1, ?)",
                 {id, now});
            // Points from the town (ledger/, points/): an account, its entry, the rule's award.
            // Rows straight in: a transfer through the ledger would add an activity.
            exec("INSERT INTO ledger_accounts (owner, owner_id, currency, balance, citizen_id, "
                 "created_at, updated_at) VALUES ('citizen', ?, 'points', 5, ?, ?, ?)",
                 {id, id, now, now});
            exec("INSERT INTO ledger_transfers (idempotency_key, from_account, to_account, amount, "
                 "kind, reason, actor, created_at) SELECT 'k' || owner_id, (SELECT id FROM ledger_accounts "
                 "WHERE owner = 'town'), id, 5, 'award', 'Newsletter', 'system', ? FROM "
                 "ledger_accounts WHERE citizen_id = ?", {now, id});
            exec("INSERT INTO ledger_entries (transfer_id, account_id, amount, citizen_id, created_at) "
                 "SELECT t.id, t.to_account, 5, ?, ? FROM ledger_transfers t JOIN ledger_accounts a "
                 "ON a.id = t.to_account WHERE a.citizen_id = ?", {id, now, id});
            exec("INSERT INTO points_awards (rule_id, citizen_id, activity_id, transfer_id, awarded_at) "
                 "SELECT 1, ?, 1000 + ?, t.id, ? FROM ledger_transfers t JOIN ledger_accounts a ON "
                 "a.id = t.to_account WHERE a.citizen_id = ?", {id, id, now, id});
            // A live segment the person is in, and their next recheck (segments/).
            exec("INSERT INTO segment_members (segment_id, citizen_id, entered_at) VALUES (1, ?, ?)", {id, now});
            exec("INSERT INTO segment_rechecks (citizen_id, due_at) VALUES (?, ?)", {id, now});
            // A voucher from the offer shop and a Stadttaler wallet with a top-up and a payment
            // request (shop/, stadttaler/).
            auto n = std::to_string(id);
            exec("INSERT INTO vouchers (code, offer_id, citizen_id, request_key, price_points, "
                 "transfer_id, issued_at) VALUES (?, 1, ?, ?, 5, 1, ?)",
                 {"CODE" + n, id, "key" + n, now});
            exec("INSERT INTO stadttaler_wallets (citizen_id, code, created_at) VALUES (?, ?, ?)",
                 {id, "WALLET" + n, now});
            // A registration for an event (events/).
            exec("INSERT INTO event_registrations (event_id, citizen_id, status, ticket_code, "
                 "registered_at) VALUES (1, ?, 'registered', ?, ?)", {id, "TICKET" + n, now});
            exec("INSERT INTO stadttaler_topups (citizen_id, amount_cents, source, transfer_id, "
                 "created_by, created_at) VALUES (?, 500, 'desk', 1, 'staff:1', ?)", {id, now});
            exec("INSERT INTO stadttaler_payment_requests (partner_id, citizen_id, amount_cents, "
                 "created_by, created_at) VALUES (1, ?, 250, 'staff:1', ?)", {id, now});
            auto a = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
                return activity::append(c, {.type = "pool.visit", .citizen_id = id, .actor = "system",
                                            .object = "pool:nord", .props = R"({"lane":3})"},
                                        h->clock());
            });
            ASSERT_TRUE(a.has_value()) << a.error().message;
        }
    }
    void exec(const std::string& sql, db::Params params = {}) {
        auto r = h->db().acquire().value()->query(sql, params);
        ASSERT_TRUE(r.has_value()) << sql << ": " << r.error().message;
    }
    std::int64_t count(const std::string& sql, db::Params params = {}) {
        return h->db().acquire().value()->query_one(sql, params).value().get_int(0);
    }
    std::unique_ptr<web::testing::ApiHarness> h;
    std::int64_t anna{0}, bob{0};
};

TEST_P(GdprTest, EveryTableThatRefersToACitizenIsCoveredByExportAndErasure) {
    auto lease = h->db().acquire().value();
    auto tables = tables_referring_to_citizens(*lease);
    ASSERT_TRUE(tables.has_value()) << tables.error().message;
    EXPECT_GE(tables->size(), 4u); // the catalogue query really finds them
    for (const auto& t : *tables)
        EXPECT_TRUE(std::ranges::any_of(personal_tables(), [&](const auto& p) { return p.table == t; }))
            << "table " << t << " refers to citizens but is not in gdpr/personal_data.cpp";
    for (const auto& p : personal_tables())
        EXPECT_TRUE(std::ranges::find(*tables, std::string(p.table)) != tables->end())
            << p.table << " is listed but the schema has no citizen reference there";
}

// Merging two profiles of one person moves the duplicate's rows by these rules
// (gdpr/person_merge.cpp): a table without one would be forgotten, and a Move on a table with a
// unique key over the citizen would fail when both profiles have the same row.
TEST_P(GdprTest, EveryTableInTheRegistryHasAMergeRuleThatFitsItsUniqueKeys) {
    auto lease = h->db().acquire().value();
    for (const auto& p : personal_tables()) {
        std::string table(p.table);
        EXPECT_NE(p.on_merge, OnMerge::Unspecified)
            << table << " has no merge rule in gdpr/personal_data.cpp";
        if (p.on_merge == OnMerge::MoveUnlessPresent) {
            EXPECT_FALSE(p.merge_key.empty()) << table << ": MoveUnlessPresent needs a merge key";
        }
        auto keys = unique_keys_with(*lease, table, std::string(p.citizen_column));
        ASSERT_TRUE(keys.has_value()) << keys.error().message;
        for (const auto& key : *keys) {
            if (key.empty()) {
                // Unique on the citizen alone: one row per person.
                EXPECT_EQ(p.on_merge, OnMerge::MoveUnlessSurvivorHasOne)
                    << table << " has one row per person: the survivor's must win";
                continue;
            }
            // Survivor rows are matched by the merge key; it must not be finer than the unique
            // key, or a moved row could still collide.
            EXPECT_EQ(p.on_merge, OnMerge::MoveUnlessPresent)
                << table << " has a unique key with " << p.citizen_column << ": rows must move "
                << "unless the survivor has the same one";
            for (auto column : p.merge_key) {
                EXPECT_TRUE(std::ranges::find(key, std::string(column)) != key.end())
                    << table << ": merge key column " << column << " is not in a unique key";
            }
        }
    }
    // The catalogue query really finds unique keys (citizen_tags has its primary key).
    auto tags = unique_keys_with(*lease, "citizen_tags", "citizen_id");
    ASSERT_TRUE(tags.has_value());
    EXPECT_EQ(*tags, (std::vector<std::vector<std::string>>{{"tag"}}));
    EXPECT_TRUE(unique_keys_with(*lease, "activities", "citizen_id")->empty());
}

TEST_P(GdprTest, ExportHoldsEverythingAboutThePersonAndNothingAboutOthers) {
    auto r = h->call(Method::Get, "/api/v1/citizens/" + std::to_string(anna) + "/export",
                     Role::DataProtection);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.raw.header("content-disposition").value_or("").find("attachment"), std::string::npos);
    auto j = r.json();
    EXPECT_EQ(j["profile"]["email"], "anna@musterstadt.example");
    // One row in every table, two activities: the click on a tracked link and the pool visit.
    for (const auto& p : personal_tables())
        EXPECT_EQ(j["tables"][std::string(p.table)].size(), std::string_view(p.table) == "activities" ? 2u : 1u)
            << p.table;
    EXPECT_EQ(j["tables"]["activities"][0]["object"], "topic:kultur");
    EXPECT_NE(j["tables"]["activities"][0]["props"].get<std::string>().find("musterstadt.example/putz"),
              std::string::npos);
    EXPECT_EQ(j["tables"]["activities"][1]["object"], "pool:nord");
    EXPECT_EQ(r.body.find("bob@"), std::string::npos);
    // The portal account is there, its password's hash is not.
    EXPECT_EQ(j["tables"]["citizen_accounts"][0]["email"], "anna@musterstadt.example");
    EXPECT_EQ(r.body.find("secret-hash"), std::string::npos);
    // The outbox row without its message (which may hold a one-time token).
    EXPECT_EQ(j["tables"]["outbox"][0]["state"], "queued");
    EXPECT_FALSE(j["tables"]["outbox"][0].contains("payload"));
    // The ledger entry says what it was for.
    EXPECT_EQ(j["tables"]["ledger_entries"][0]["reason"], "Newsletter");
    EXPECT_EQ(j["tables"]["ledger_entries"][0]["currency"], "points");
    // The export is itself recorded, and shows up in the next export as an access.
    auto again = h->call(Method::Get, "/api/v1/citizens/" + std::to_string(anna) + "/export",
                         Role::DataProtection).json();
    ASSERT_EQ(again["accesses"].size(), 1u);
    EXPECT_EQ(again["accesses"][0]["action"], "citizen.exported");
}

TEST_P(GdprTest, ErasureLeavesNothingOfThePersonAndKeepsOthers) {
    auto done = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return erase_person(c, anna, {"staff:1", "192.0.2.1"}, h->clock());
    });
    ASSERT_TRUE(done.has_value()) << done.error().message;
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens WHERE id = ?", {anna}), 0);
    for (const auto& p : personal_tables())
        EXPECT_EQ(count("SELECT COUNT(*) FROM " + std::string(p.table) + " WHERE citizen_id = ?", {anna}), 0)
            << p.table;
    // The statistics keep the visit, without the person or its details.
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE citizen_id IS NULL AND type = 'pool.visit' "
                    "AND object = '' AND props = '{}'"),
              1);
    // So does the click: counted in no campaign's report any more (its props are gone).
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE citizen_id IS NULL AND type = 'email.clicked' "
                    "AND object = '' AND props = '{}'"),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_tags WHERE citizen_id = ?", {bob}), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries WHERE citizen_id = ?", {bob}), 1);
    // The portal account's sessions went with it: nobody stays signed in as an erased person.
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions"), 1);
    // The outbox keeps the campaign's count without the person; what was queued is never sent,
    // and the address stays suppressed as a hash (delivery/suppression_store.h).
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE citizen_id IS NULL AND email = '' AND "
                    "payload = '' AND state = 'cancelled'"),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE citizen_id = ? AND state = 'queued'", {bob}), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM suppressions WHERE reason = 'erased' AND email_hash = ?",
                    {delivery::suppressions::email_hash("anna@musterstadt.example")}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE citizen_id = ?", {bob}), 2); // a click, a visit
    // The ledger keeps the entries, without the person: everything still balances.
    EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_accounts WHERE owner = 'erased' AND owner_id = id "
                    "AND balance = 5"),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_entries"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_accounts WHERE owner = 'citizen' AND owner_id = ?",
                    {anna}),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.erased' AND subject = ?",
                    {"citizen:" + std::to_string(anna)}),
              1);
    auto twice = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return erase_person(c, anna, {"staff:1", ""}, h->clock());
    });
    ASSERT_FALSE(twice.has_value());
    EXPECT_EQ(twice.error().code, ErrorCode::NotFound);
}

TEST_P(GdprTest, RestrictionIsSetLiftedAndRecorded) {
    auto path = "/api/v1/citizens/" + std::to_string(anna) + "/restriction";
    auto on = h->call(Method::Post, path, Role::DataProtection,
                      {{"restricted", true}, {"reason", "Widerspruch vom 24.11."}});
    ASSERT_EQ(on.status, 200) << on.body;
    EXPECT_EQ(on.json()["restricted"], true);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens WHERE restricted_at IS NOT NULL"), 1);
    auto off = h->call(Method::Post, path, Role::Admin, {{"restricted", false}});
    EXPECT_EQ(off.json()["restricted"], false);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type IN ('gdpr.restricted', "
                    "'gdpr.restriction_lifted') AND citizen_id = ?", {anna}),
              2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.restricted'"), 1);

    EXPECT_EQ(h->call(Method::Post, path, Role::DataProtection, {{"restricted", "yes"}}).status, 400);
    EXPECT_EQ(h->call(Method::Post, path, Role::Editor, {{"restricted", true}}).status, 403);
    EXPECT_EQ(h->call(Method::Post, "/api/v1/citizens/999999/restriction", Role::DataProtection,
                      {{"restricted", true}}).status,
              404);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/citizens/999999/export", Role::DataProtection).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, GdprTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::gdpr
