// Merging two profiles in the database, on SQLite and PostgreSQL: the history moves to the
// survivor, sets are united, choices are honoured, refusals change nothing, and a step that
// fails rolls back every step before it.

#include "activity/activity_store.h"
#include "activity/timeline_store.h"
#include "citizens/citizen_merge_store.h"
#include "citizens/test_fixture.h"
#include "gdpr/gdpr_store.h"
#include "ledger/ledger_store.h"

#include <atomic>
#include <thread>

namespace teilhabe::citizens {
namespace {

using nlohmann::json;
using testing::StoreTest;

class CitizenMerge : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (HasFatalFailure())
            return;
        auto a = create({{"email", "anna@example.org"},
                         {"first_name", "Anna"},
                         {"district", "Nord"},
                         {"tags", {"ehrenamt", "presse"}},
                         {"interests", {"kultur"}},
                         {"attributes", {{"birth_year", 1984}, {"volunteering", {"library"}}}}});
        ASSERT_TRUE(a) << a.error().message;
        m_clock.advance(std::chrono::hours(24));
        auto b = create(
            {{"email", "a.mueller@example.org"},
             {"first_name", "Anne"},
             {"last_name", "Müller"},
             {"language", "en"},
             {"tags", {"ehrenamt", "vhs"}},
             {"interests", {"kultur", "umwelt"}},
             {"attributes",
              {{"birth_year", 1985}, {"has_dog", true}, {"volunteering", {"garden", "sports"}}}}});
        ASSERT_TRUE(b) << b.error().message;
        anna = a->id;
        dupe = b->id;
        visit(dupe, "pool:nord");
        m_clock.advance(std::chrono::hours(1));
    }

    void visit(std::int64_t id, const std::string& object) {
        auto r = tx([&](db::Connection& c) {
            return activity::append(
                c, {.type = "pool.visit", .citizen_id = id, .actor = "apikey:1", .object = object},
                m_clock);
        });
        ASSERT_TRUE(r) << r.error().message;
    }

    Result<Citizen> merge(std::int64_t survivor, std::int64_t duplicate,
                          MergeChoices choices = {}) {
        return tx([&](db::Connection& c) {
            return store::merge_citizens(c, survivor, {duplicate, std::move(choices)}, m_who,
                                         m_clock);
        });
    }

    // Everything a merge touches, as text, to compare before and after.
    std::string snapshot() {
        std::string out;
        for (const char* sql :
             {"SELECT id, email, first_name, last_name, first_name_search, language, district, "
              "updated_at FROM citizens ORDER BY id",
              "SELECT citizen_id, tag FROM citizen_tags ORDER BY citizen_id, tag",
              "SELECT citizen_id, topic_id, created_at FROM citizen_interests ORDER BY 1, 2",
              "SELECT citizen_id, field_id, value, recorded_at FROM citizen_values ORDER BY 1, 2, "
              "3",
              "SELECT id, citizen_id, type FROM activities ORDER BY id",
              "SELECT id, action, subject FROM audit_log ORDER BY id"}) {
            auto rows = tx([&](db::Connection& c) { return c.query(sql); });
            EXPECT_TRUE(rows) << rows.error().message;
            for (const auto& r : rows.value_or(db::Rows{}).rows) {
                for (std::size_t i = 0; i < r.size(); ++i)
                    out += (r.is_null(i) ? "NULL" : r.get_text(i)) + "|";
                out += "\n";
            }
            out += "--\n";
        }
        return out;
    }

    std::int64_t anna{0}, dupe{0};
};

TEST_P(CitizenMerge, TheHistoryOfTheDuplicateMovesToTheSurvivor) {
    auto merged = merge(anna, dupe);
    ASSERT_TRUE(merged) << merged.error().message;
    EXPECT_FALSE(get(dupe).has_value()) << "the duplicate is gone";
    auto timeline = tx([&](db::Connection& c) { return activity::for_citizen(c, anna, 50); });
    ASSERT_TRUE(timeline);
    std::vector<std::string> types;
    for (const auto& a : *timeline)
        types.push_back(a.type + (a.object == "pool:nord" ? "@pool" : ""));
    EXPECT_EQ(types, (std::vector<std::string>{"citizen.merged", "pool.visit@pool",
                                               "citizen.created", "citizen.created"}))
        << "newest first: the merge, the duplicate's visit, both creations";
    const auto& record = timeline->front();
    EXPECT_EQ(record.actor, "staff:1");
    auto props = json::parse(record.props);
    EXPECT_EQ(props["duplicate_id"], dupe);
    EXPECT_EQ(props["duplicate_email"], "a.mueller@example.org");
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE citizen_id = ?", {dupe}), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.merged' AND subject = "
                     "? AND actor = 'staff:1' AND ip = '192.0.2.1'",
                     {"citizen:" + std::to_string(anna)}),
              1);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.merged_into' AND "
                     "subject = ?",
                     {"citizen:" + std::to_string(dupe)}),
              1);
    EXPECT_EQ(merged->updated_at, m_clock.now_ms());
    EXPECT_EQ(merged->email, "anna@example.org") << "the survivor keeps its address";
}

// The duplicate's points and Stadttaler become the survivor's by ledger transfers (balanced;
// the town issues nothing new), and its vouchers are the survivor's too.
TEST_P(CitizenMerge, TheDuplicatesBalancesAndVouchersGoToTheSurvivor) {
    using ledger::AccountRef;
    using ledger::Currency;
    auto book = [&](const std::string& key, AccountRef to, std::int64_t amount, std::string_view kind) {
        auto r = tx([&](db::Connection& c) {
            return ledger::transfer(c,
                                    {key, AccountRef::town(to.currency), to, amount,
                                     std::string(kind), "test", "test", "system"},
                                    m_clock.now());
        });
        ASSERT_TRUE(r) << r.error().message;
    };
    book("p1", AccountRef::citizen(dupe), 40, ledger::kind::award);
    book("p2", AccountRef::citizen(anna), 15, ledger::kind::award);
    book("s1", AccountRef::citizen(dupe, Currency::Stadttaler), 1'250, ledger::kind::topup);
    auto offer = tx([&](db::Connection& c) {
        return c.query_one("INSERT INTO offers (title, price_points, created_at, updated_at) "
                           "VALUES ('Freibad', 5, 0, 0) RETURNING id");
    });
    ASSERT_TRUE(offer);
    ASSERT_TRUE(tx([&](db::Connection& c) {
        return c.query("INSERT INTO vouchers (code, offer_id, citizen_id, request_key, "
                       "price_points, transfer_id, issued_at) VALUES ('CODE1', ?, ?, 'k1', 5, (SELECT id "
                       "FROM ledger_transfers WHERE idempotency_key = 'p1'), 0)",
                       {offer->get_int(0), dupe});
    }));

    auto merged = merge(anna, dupe);
    ASSERT_TRUE(merged) << merged.error().message;
    auto bal = [&](AccountRef a) {
        return tx([&](db::Connection& c) { return ledger::balance(c, a); }).value();
    };
    EXPECT_EQ(bal(AccountRef::citizen(anna)), 55);
    EXPECT_EQ(bal(AccountRef::citizen(anna, Currency::Stadttaler)), 1'250);
    EXPECT_EQ(bal(AccountRef::citizen(dupe)), 0);
    EXPECT_EQ(bal(AccountRef::town()), -55);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'merge' AND actor = "
                     "'staff:1'"),
              2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM vouchers WHERE citizen_id = ?", {anna}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM ledger_entries WHERE citizen_id = ?", {dupe}), 0);
    auto report = tx([&](db::Connection& c) { return ledger::check(c); });
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
}

TEST_P(CitizenMerge, SetsAreUnitedAndEmptyValuesFilledWhileTheSurvivorWinsConflicts) {
    auto merged = merge(anna, dupe);
    ASSERT_TRUE(merged) << merged.error().message;
    EXPECT_EQ(merged->first_name, "Anna");
    EXPECT_EQ(merged->last_name, "Müller");
    EXPECT_EQ(merged->language, Language::De);
    EXPECT_EQ(merged->district, "Nord");
    EXPECT_EQ(merged->tags, (std::vector<std::string>{"ehrenamt", "presse", "vhs"}));
    EXPECT_EQ(merged->interests, (std::vector<std::string>{"kultur", "umwelt"}));
    EXPECT_EQ(merged->attributes,
              json({{"birth_year", 1984}, {"has_dog", true}, {"volunteering", {"library"}}}))
        << "a multiple choice is one value: the survivor's, not a mixture";
    // The found name is searchable, and the interest keeps the time it was first recorded.
    EXPECT_EQ(scalar("SELECT count(*) FROM citizens WHERE last_name_search = 'müller'"), 1);
    EXPECT_EQ(scalar("SELECT min(created_at) FROM citizen_interests WHERE citizen_id = ?", {anna}),
              get(anna)->created_at);
}

TEST_P(CitizenMerge, AChosenValueOfTheDuplicateReplacesTheSurvivors) {
    auto dupe_recorded = scalar("SELECT recorded_at FROM citizen_values v JOIN fields f ON f.id = "
                                "v.field_id WHERE f.key = 'birth_year' AND citizen_id = ?",
                                {dupe});
    MergeChoices choices;
    choices.prefer = {{"first_name", Side::Duplicate},
                      {"language", Side::Duplicate},
                      {"attributes.birth_year", Side::Duplicate},
                      {"attributes.volunteering", Side::Duplicate}};
    auto merged = merge(anna, dupe, choices);
    ASSERT_TRUE(merged) << merged.error().message;
    EXPECT_EQ(merged->first_name, "Anne");
    EXPECT_EQ(merged->language, Language::En);
    EXPECT_EQ(
        merged->attributes,
        json({{"birth_year", 1985}, {"has_dog", true}, {"volunteering", {"garden", "sports"}}}));
    EXPECT_EQ(scalar("SELECT recorded_at FROM citizen_values v JOIN fields f ON f.id = v.field_id "
                     "WHERE f.key = 'birth_year' AND citizen_id = ?",
                     {anna}),
              dupe_recorded)
        << "a moved value keeps the time it was recorded (retention counts from it)";
    auto props = tx([&](db::Connection& c) {
        return c.query_one("SELECT props FROM activities WHERE type = 'citizen.merged'");
    });
    ASSERT_TRUE(props);
    EXPECT_EQ(json::parse(props->get_text(0))["taken_from_duplicate"],
              json({"first_name", "last_name", "language", "attributes.birth_year",
                    "attributes.has_dog", "attributes.volunteering"}));
    EXPECT_EQ(props->get_text(0).find("1985"), std::string::npos) << "members, never values";
}

TEST_P(CitizenMerge, SelfUnknownAndRestrictedProfilesAreRefusedAndNothingChanges) {
    auto before = snapshot();
    auto self = merge(anna, anna);
    ASSERT_FALSE(self);
    EXPECT_EQ(self.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(self.error().field, "duplicate_id");
    auto unknown = merge(anna, 999999);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
    EXPECT_EQ(merge(999999, dupe).error().code, ErrorCode::NotFound);
    EXPECT_EQ(snapshot(), before);

    for (auto restricted : {dupe, anna}) {
        auto r = tx([&](db::Connection& c) {
            return gdpr::set_restriction(c, restricted, gdpr::Restriction::Restricted, "Art. 21",
                                         {"staff:9", ""}, m_clock);
        });
        ASSERT_TRUE(r) << r.error().message;
        auto state = snapshot();
        auto refused = merge(anna, dupe);
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
        EXPECT_NE(refused.error().message.find("Art. 18"), std::string::npos);
        EXPECT_NE(refused.error().message.find("citizen " + std::to_string(restricted)),
                  std::string::npos)
            << "the message names the restricted profile";
        EXPECT_EQ(snapshot(), state);
        ASSERT_TRUE(tx([&](db::Connection& c) {
            return gdpr::set_restriction(c, restricted, gdpr::Restriction::Lifted, "",
                                         {"staff:9", ""}, m_clock);
        }));
    }
}

TEST_P(CitizenMerge, AFailingLastStepRollsBackEverythingBeforeIt) {
    // The database refuses to delete a profile: the merge fails after the scalars were written
    // and every row was moved.
    {
        auto lease = m_t->db->acquire();
        ASSERT_TRUE(lease);
        auto trigger =
            GetParam() == db::Backend::Postgresql
                ? (*lease)->exec_script(
                      "CREATE FUNCTION refuse_delete() RETURNS trigger AS $$ BEGIN RAISE "
                      "EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql; CREATE TRIGGER "
                      "refuse BEFORE DELETE ON citizens FOR EACH ROW EXECUTE FUNCTION "
                      "refuse_delete();")
                : (*lease)->exec_script("CREATE TRIGGER refuse BEFORE DELETE ON citizens BEGIN "
                                        "SELECT RAISE(ABORT, 'refused by the test'); END;");
        ASSERT_TRUE(trigger) << trigger.error().message;
    }
    auto before = snapshot();
    MergeChoices choices;
    choices.prefer = {{"first_name", Side::Duplicate}, {"attributes.birth_year", Side::Duplicate}};
    auto failed = merge(anna, dupe, choices);
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("refused by the test"), std::string::npos)
        << "it failed at the last step, not before: " << failed.error().message;
    EXPECT_EQ(snapshot(), before) << "profiles, sets, values, history and audit as they were";
}

// Another system records an activity for the duplicate while the merge runs: it must end on
// the survivor, never behind on the removed id (activities.citizen_id has no foreign key).
// Only on PostgreSQL: SQLite runs one writer at a time (BEGIN IMMEDIATE), there is no such race.
class CitizenMergeRace : public CitizenMerge {};

TEST_P(CitizenMergeRace, AnActivityRecordedWhileTheMergeRunsIsNotLeftBehind) {
    auto lease = m_t->db->acquire();
    ASSERT_TRUE(lease);
    db::Connection& other = **lease;
    ASSERT_TRUE(other.begin(true));
    // What POST /api/v1/activities does in its transaction.
    ASSERT_TRUE(activity::citizen_exists(other, dupe).value_or(false));
    ASSERT_TRUE(activity::append(
        other,
        {.type = "library.loan", .citizen_id = dupe, .actor = "apikey:2", .object = "book:1"},
        m_clock));
    auto watch = m_t->db->acquire();
    ASSERT_TRUE(watch);
    std::atomic<bool> finished{false};
    Result<Citizen> merged = fail(Error::internal("not run"));
    std::thread merging([&] {
        merged = merge(anna, dupe);
        finished = true;
    });
    // Until the merge waits for the other transaction's lock, or has finished without waiting.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    bool waiting = false;
    while (!finished && !waiting && std::chrono::steady_clock::now() < deadline) {
        auto n = (*watch)->query_one("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                     "current_database() AND wait_event_type = 'Lock'");
        waiting = n && n->get_int(0) > 0;
    }
    EXPECT_TRUE(other.commit());
    merging.join();
    ASSERT_TRUE(merged) << merged.error().message;
    EXPECT_TRUE(waiting) << "the merge waited for the activity's transaction";
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE citizen_id = ?", {dupe}), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE type = 'library.loan' AND citizen_id "
                     "= ?",
                     {anna}),
              1);
}

TEST_P(CitizenMerge, TheSurvivorsExportIncludesWhoAccessedTheDuplicate) {
    ASSERT_TRUE(tx([&](db::Connection& c) {
        return store::read_citizen(c, dupe, {"staff:7", "192.0.2.7"}, m_clock);
    }));
    ASSERT_TRUE(merge(anna, dupe));
    auto data = tx([&](db::Connection& c) {
        return gdpr::export_person(c, anna, {"staff:1", ""}, m_clock);
    });
    ASSERT_TRUE(data) << data.error().message;
    bool read_of_duplicate = false;
    for (const auto& a : (*data)["accesses"])
        read_of_duplicate =
            read_of_duplicate || (a["actor"] == "staff:7" && a["action"] == "citizen.read" &&
                                  a["subject"] == "citizen:" + std::to_string(dupe));
    EXPECT_TRUE(read_of_duplicate) << (*data)["accesses"].dump();
    EXPECT_EQ((*data)["tables"]["activities"].size(), 4u);
}

TEST_P(CitizenMerge, PossibleDuplicatesHaveTheSameNameSameDistrictFirst) {
    auto mk = [&](const std::string& email, const std::string& district) {
        auto c = create({{"email", email},
                         {"first_name", "ANNE"},
                         {"last_name", "müller"},
                         {"district", district}});
        EXPECT_TRUE(c) << c.error().message;
        return c ? c->id : 0;
    };
    auto south = mk("anne.sued@example.org", "Süd");
    auto north = mk("anne.nord@example.org", "Nord");
    ASSERT_TRUE(patch(dupe, {{"district", "Nord"}}));
    auto of_dupe = *get(dupe);
    auto found = tx([&](db::Connection& c) { return store::possible_duplicates(c, of_dupe, 5); });
    ASSERT_TRUE(found) << found.error().message;
    std::vector<std::int64_t> ids;
    for (const auto& c : *found)
        ids.push_back(c.id);
    EXPECT_EQ(ids, (std::vector<std::int64_t>{north, south}));
    auto of_anna = *get(anna); // no last name
    auto none = tx([&](db::Connection& c) { return store::possible_duplicates(c, of_anna, 5); });
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, CitizenMerge, ::testing::ValuesIn(db::testing::backends()),
                         testing::backend_test_name);

std::vector<db::Backend> postgres_only() {
    std::vector<db::Backend> out;
    for (auto b : db::testing::backends())
        if (b == db::Backend::Postgresql)
            out.push_back(b);
    return out;
}
// backends() lists PostgreSQL whenever the test script or CI requires it, so there the race is
// always tested; a developer's run without a server has nothing to instantiate.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CitizenMergeRace);
INSTANTIATE_TEST_SUITE_P(Backends, CitizenMergeRace, ::testing::ValuesIn(postgres_only()),
                         testing::backend_test_name);

} // namespace
} // namespace teilhabe::citizens
