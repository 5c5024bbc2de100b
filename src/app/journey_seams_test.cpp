// The seams of journeys as wired in src/app, on both engines: a branch rule is a segment rule
// (read from the real tables), and an award is one ledger transfer from the town however often
// the step is repeated.

#include "app/journey_seams.h"
#include "db/test_support.h"
#include "ledger/ledger_store.h"

#include <gtest/gtest.h>

namespace teilhabe::app {
namespace {

class JourneySeamsTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto made = db::testing::make_database(GetParam());
        ASSERT_TRUE(made) << made.error().message;
        tdb = std::move(*made);
        anna = scalar("INSERT INTO citizens (email, first_name, created_at, updated_at) VALUES "
                      "('anna@example.org', 'Anna', 0, 0) RETURNING id");
        bob = scalar("INSERT INTO citizens (email, first_name, created_at, updated_at) VALUES "
                     "('bob@example.org', 'Bob', 0, 0) RETURNING id");
        scalar("INSERT INTO citizen_tags (citizen_id, tag) VALUES (?, 'ehrenamt') RETURNING "
               "citizen_id",
               {anna});
    }
    db::Database& db() { return *tdb->db; }
    std::int64_t scalar(const std::string& sql, const db::Params& p = {}) {
        return db().transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::int64_t> {
                       return TRY(c.query_one(sql, p)).get_int(0);
                   })
            .value();
    }
    bool matches(std::string_view rule, std::int64_t who) {
        return db().transaction(db::TxMode::Read, [&](db::Connection& c) {
                       return conditions.matches(c, rule, who, clock.now());
                   })
            .value();
    }

    std::unique_ptr<db::testing::TestDatabase> tdb;
    ManualClock clock;
    SegmentConditions conditions;
    LedgerPoints points;
    std::int64_t anna{0}, bob{0};
};

TEST_P(JourneySeamsTest, BranchRulesAreSegmentRules) {
    EXPECT_TRUE(matches(R"({"tag": "ehrenamt"})", anna));
    EXPECT_FALSE(matches(R"({"tag": "ehrenamt"})", bob));
    EXPECT_TRUE(matches(R"({"not": {"tag": "ehrenamt"}})", bob));
    EXPECT_TRUE(conditions.validate(R"({"tag": "ehrenamt"})").has_value());
    auto bad = conditions.validate(R"({"tag": 3})");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);
}

TEST_P(JourneySeamsTest, AnAwardIsOneLedgerTransferFromTheTownEvenWhenRepeated) {
    for (int i = 0; i < 2; ++i)
        db().transaction(db::TxMode::Write, [&](db::Connection& c) {
                return points.award(c, anna, 5, "journey:3:enrolment:7:2", "Willkommen",
                                    clock.now());
            })
            .value();
    auto balance = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return ledger::balance(c, ledger::AccountRef::citizen(anna));
    });
    ASSERT_TRUE(balance.has_value()) << balance.error().message;
    EXPECT_EQ(*balance, 5);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM ledger_transfers WHERE object = 'journey:3' AND kind = "
                     "'award'"),
              1);
    auto check = db().transaction(db::TxMode::Read,
                                  [&](db::Connection& c) { return ledger::check(c); });
    ASSERT_TRUE(check.has_value());
    EXPECT_TRUE(check->ok()) << (check->problems.empty() ? "" : check->problems.front());
}

INSTANTIATE_TEST_SUITE_P(Backends, JourneySeamsTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::app
