// Points rules on both engines: the defaults, filters, caps per day and month, once per object,
// exactly once per activity and rule through the consumer, manual awards and corrections.

#include "activity/activity_store.h"
#include "activity/consumer.h"
#include "activity/consumer_testing.h"
#include "db/test_support.h"
#include "ledger/ledger_store.h"
#include "jobs/worker.h"
#include "points/expiry_job.h"
#include "points/points_consumer.h"
#include "points/points_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <thread>

namespace teilhabe::points {
namespace {

using namespace std::chrono_literals;
using ledger::AccountRef;

TEST(PointsRule, FiltersAndOnceKeys) {
    Rule r{.name = "Klick", .activity_type = "email.clicked", .filter = R"({"props.topic":"*"})",
           .points = 2, .once_key = "{props.campaign_id}/{props.topic}"};
    ASSERT_TRUE(validate(r).has_value());
    activity::Activity a{.type = "email.clicked", .citizen_id = 1, .object = "topic:kultur",
                         .props = R"({"campaign_id":7,"topic":"kultur"})"};
    EXPECT_TRUE(matches(r, a, parse_props(a)));
    EXPECT_EQ(once_key_for(r, a, parse_props(a)), "7/kultur");
    a.props = R"({"campaign_id":7})";
    EXPECT_FALSE(matches(r, a, parse_props(a))); // a click on a link without a topic
    r.filter = R"({"object":"topic:k*"})";
    EXPECT_TRUE(matches(r, a, parse_props(a)));
    r.filter = R"({"object":"topic:sport"})";
    EXPECT_FALSE(matches(r, a, parse_props(a)));
    EXPECT_FALSE(validate_filter(R"({"email":"x"})").has_value());
    EXPECT_FALSE(validate_filter("[1]").has_value());
    r.activity_type = "points.earned";
    EXPECT_EQ(validate(r).error().field, "activity_type");
    auto d = day_of(from_unix_ms(1'780'000'000'000));
    EXPECT_EQ(d.end_ms - d.begin_ms, 86'400'000);
    auto m = month_of(from_unix_ms(1'780'000'000'000)); // 2026-05-28
    EXPECT_EQ((m.end_ms - m.begin_ms) / 86'400'000, 31);
}

class PointsTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        anna = db().acquire()
                   .value()
                   ->query_one("INSERT INTO citizens (email, created_at, updated_at) VALUES "
                               "('anna@musterstadt.example', 0, 0) RETURNING id")
                   .value()
                   .get_int(0);
    }
    void TearDown() override {
        if (m_t)
            ledger::check_or_abort(*db().acquire().value());
    }
    db::Database& db() { return *m_t->db; }
    std::int64_t record(std::string type, std::string object, std::string props = "{}") {
        return db()
            .transaction(db::TxMode::Write,
                         [&](db::Connection& c) {
                             return activity::append(c,
                                                     {.type = type, .citizen_id = anna,
                                                      .actor = "system", .object = object,
                                                      .props = props},
                                                     clock);
                         })
            .value()
            .id;
    }
    // Runs the consumer until it has seen everything (boundedly; activity/consumer_testing.h).
    void consume() {
        auto done = activity::testing::consume_all(db(), consumer, clock, 10s);
        ASSERT_TRUE(done) << done.error().message;
    }
    std::int64_t points() {
        return ledger::balance(*db().acquire().value(), AccountRef::citizen(anna)).value();
    }
    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock clock;
    PointsConsumer consumer{clock};
    std::int64_t anna{0};
};

TEST_P(PointsTest, DefaultRulesGivePointsForTheTownsActivities) {
    record("newsletter.confirmed", "topic:kultur");
    record("survey.completed", "survey:3");
    record("event.attended", "event:9");
    record("citizen.updated", "");
    consume();
    EXPECT_EQ(points(), 10 + 20 + 30);
    auto lease = db().acquire().value();
    auto es = ledger::entries(*lease, AccountRef::citizen(anna), 10).value();
    ASSERT_EQ(es.size(), 3u);
    EXPECT_EQ(es[0].reason, "An Veranstaltung teilgenommen");
    // The awards are on the timeline as points.earned (and give no points themselves).
    EXPECT_EQ(lease->query_one("SELECT COUNT(*) FROM activities WHERE type = 'points.earned'")
                  ->get_int(0),
              3);
}

TEST_P(PointsTest, ClicksGiveOncePerCampaignAndTopicAndAtMostFivePerDay) {
    for (int campaign = 1; campaign <= 4; ++campaign)
        for (auto topic : {"kultur", "sport"})
            for (int twice = 0; twice < 2; ++twice)
                record("email.clicked", std::string("topic:") + topic,
                       fmt::format(R"({{"campaign_id":{},"topic":"{}"}})", campaign, topic));
    record("email.clicked", "campaign:1", R"({"campaign_id":1})"); // no topic: no points
    consume();
    EXPECT_EQ(points(), 5 * 2); // 8 distinct pairs, capped at 5 a day
    clock.advance(24h);
    record("email.clicked", "topic:kultur", R"({"campaign_id":9,"topic":"kultur"})");
    record("email.clicked", "topic:kultur", R"({"campaign_id":1,"topic":"kultur"})"); // seen
    consume();
    EXPECT_EQ(points(), 6 * 2);
}

// The once-per keys a batch saw paid are kept for that batch only: a batch that fails after an
// award rolls the award back, and its retry pays it again instead of trusting the memory.
TEST_P(PointsTest, ABatchThatRollsBackForgetsWhatItSawPaid) {
    for (int i = 0; i < 2; ++i)
        record("email.clicked", "topic:kultur", R"({"campaign_id":1,"topic":"kultur"})");
    activity::testing::FailingConsumer failing(consumer, 2);
    auto deadline = std::chrono::steady_clock::now() + 10s; // PostgreSQL may show the rows late
    while (failing.calls() < 2 && std::chrono::steady_clock::now() < deadline)
        (void)activity::run_consumer_once(db(), failing, clock);
    ASSERT_EQ(failing.calls(), 2); // the first click paid (and remembered), the second failed
    EXPECT_EQ(points(), 0);      // the whole batch rolled back
    consume();                   // the same consumer object, a new batch
    EXPECT_EQ(points(), 2);
}

TEST_P(PointsTest, MonthlyCapAndDisabledRules) {
    auto rule = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return create_rule(c, {.name = "Bibliothek", .activity_type = "library.loan", .points = 1,
                               .cap_per_month = 3},
                           clock.now());
    });
    ASSERT_TRUE(rule.has_value()) << rule.error().message;
    for (int i = 0; i < 5; ++i)
        record("library.loan", "book:" + std::to_string(i));
    consume();
    EXPECT_EQ(points(), 3);
    auto r = *rule;
    r.enabled = false;
    ASSERT_TRUE(db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return update_rule(c, r, clock.now());
    }));
    clock.advance(40 * 24h);
    record("library.loan", "book:9");
    consume();
    EXPECT_EQ(points(), 3);
}

TEST_P(PointsTest, ExactlyOncePerActivityAndRuleEvenWhenReadAgain) {
    record("survey.completed", "survey:1");
    consume();
    EXPECT_EQ(points(), 20);
    // The consumer's position set back (a restore, a crash before it was saved): nothing doubles.
    ASSERT_TRUE(db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return activity::save_position(c, "points", {}, clock);
    }));
    consume();
    EXPECT_EQ(points(), 20);
}

TEST_P(PointsTest, PointsExpireAfterTheConfiguredDays) {
    ASSERT_TRUE(db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return save_settings(c, {.expiry_days = 365}, clock.now());
    }));
    record("event.attended", "event:1");
    consume();
    EXPECT_EQ(points(), 30);
    clock.advance(366 * 24h);
    ASSERT_TRUE(db().transaction(db::TxMode::Write,
                                 [&](db::Connection& c) { return ledger::expire_due(c, clock.now()); }));
    EXPECT_EQ(points(), 0);
}

TEST_P(PointsTest, ManualAwardAndCorrectionByReversal) {
    auto award = [&](std::string key, std::int64_t n) {
        return db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return manual_award(c, anna, n, "Hilfe beim Stadtfest", key, "staff:1", clock.now());
        });
    };
    auto t = award("k1", 15);
    ASSERT_TRUE(t.has_value()) << t.error().message;
    EXPECT_EQ(award("k1", 15)->id, t->id);
    EXPECT_EQ(award("k1", 16).error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(points(), 15);
    auto fix = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return correct(c, anna, t->id, "Doppelt vergeben", "c1", "staff:1", clock.now());
    });
    ASSERT_TRUE(fix.has_value()) << fix.error().message;
    EXPECT_EQ(points(), 0);
    EXPECT_EQ(award("k2", 0).error().field, "points");
}


} // namespace
} // namespace teilhabe::points

namespace teilhabe::points {
namespace {

// The expiry job of `serve`: run by the worker, it expires what is due and plans itself again.
TEST_P(PointsTest, TheExpiryJobExpiresAndPlansItsNextRun) {
    ASSERT_TRUE(db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return save_settings(c, {.expiry_days = 30}, clock.now());
    }));
    record("event.attended", "event:1");
    consume();
    jobs::Worker worker(db(), clock, {.worker_id = "test"});
    ASSERT_TRUE(register_expiry(worker, db(), clock));
    ASSERT_TRUE(worker.run_until_idle());
    EXPECT_EQ(points(), 30);
    for (int hour = 0; hour < 31 * 24 && points() > 0; ++hour) {
        clock.advance(1h);
        ASSERT_TRUE(worker.run_until_idle());
    }
    EXPECT_EQ(points(), 0);
    EXPECT_GE(clock.now(), from_unix_ms(1'780'000'000'000) + 30 * 24h);
    EXPECT_LE(clock.now(), from_unix_ms(1'780'000'000'000) + 30 * 24h + 2h);
}

INSTANTIATE_TEST_SUITE_P(Backends, PointsTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::points
