// The engine on SQLite and PostgreSQL: enrolment by the activity consumer, waits of days with
// the injected clock, mail through the real outbox with consent and suppression checks, quiet
// hours, branches, tags through the citizens store, re-entry, statistics per step.

#include "activity/activity_store.h"
#include "activity/consumer.h"
#include "db/test_support.h"
#include "delivery/suppression_store.h"
#include "journeys/consumer.h"
#include "journeys/engine.h"
#include "journeys/journey_store.h"

#include <gtest/gtest.h>
#include <thread>

namespace teilhabe::journeys {
namespace {

using nlohmann::json;

class RecordingPoints final : public PointsAwarder {
public:
    Result<void> award(db::Connection&, std::int64_t citizen_id, std::int64_t points, std::string key, std::string,
                       TimePoint) override {
        // A passing failure of the ledger for one person: `failures` times, or always (-1).
        if (citizen_id == failing_citizen && failures != 0) {
            if (failures > 0)
                --failures;
            return fail(Error::unavailable("the ledger is not reachable"));
        }
        calls.push_back({citizen_id, points, key});
        return {};
    }
    std::int64_t failing_citizen{0};
    int failures{0};
    struct Call {
        std::int64_t citizen, points;
        std::string key;
    };
    std::vector<Call> calls;
};

class JourneyEngineTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto made = db::testing::make_database(GetParam());
        ASSERT_TRUE(made) << made.error().message;
        tdb = std::move(*made);
        // Tuesday 1 December 2026, 10:00 Berlin.
        clock.set(*parse_rfc3339("2026-12-01T09:00:00Z"));
        settings.mail.secret = "journey-test-secret";
        engine = std::make_unique<Engine>(db(), clock, settings, &rules, &points);
        topic = scalar("INSERT INTO topics (key, name_de, name_en, created_at) VALUES ('news', 'Neues', 'News', 0) RETURNING id");
    }
    db::Database& db() { return *tdb->db; }
    std::int64_t scalar(const std::string& sql, const db::Params& p = {}) {
        return db().transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::int64_t> {
                       return TRY(c.query_one(sql, p)).get_int(0);
                   })
            .value();
    }
    std::int64_t person(const std::string& email, bool consent = true) {
        auto id = scalar("INSERT INTO citizens (email, first_name, last_name, created_at, updated_at) VALUES (?, 'Anna', "
                         "'Beispiel', 0, 0) RETURNING id",
                         {email});
        if (consent)
            scalar("INSERT INTO consents (citizen_id, subject, topic_id, status, consent_text_id, requested_at, "
                   "request_ip, updated_at) VALUES (?, 'topic:news', ?, 'confirmed', (SELECT MIN(id) FROM "
                   "consent_texts), 0, '203.0.113.1', 0) RETURNING citizen_id",
                   {id, topic});
        return id;
    }
    std::int64_t journey(const json& definition, bool active = true) {
        return db().transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::int64_t> {
                       auto j = TRY(store::create(c, {"Test", "", definition}, {"staff:1", ""}, clock));
                       if (active)
                           TRY(store::set_active(c, j.id, true, {"staff:1", ""}, clock));
                       return j.id;
                   })
            .value();
    }
    void activity(std::int64_t citizen, const std::string& type, const json& props = json::object(),
                  const std::string& object = "") {
        db().transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
                activity::Activity a;
                a.type = type;
                a.citizen_id = citizen;
                a.actor = "system";
                a.object = object;
                a.props = props.dump();
                a.occurred_at = clock.now();
                TRY(activity::append(c, a, clock));
                return {};
            })
            .value();
        // On PostgreSQL the consumer sees only rows older than the oldest transaction still open
        // in the whole cluster, and other tests run in parallel on it (activity_test.cpp): wait
        // until this one is consumed, boundedly (real time: other processes' transactions).
        EnrolmentConsumer consumer(clock, settings);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (scalar("SELECT COUNT(*) FROM activities a WHERE a.id > (SELECT COALESCE(MAX(activity_id), 0) FROM "
                      "consumer_positions WHERE consumer = 'journeys')") > 0 &&
               std::chrono::steady_clock::now() < deadline) {
            auto n = activity::run_consumer_once(db(), consumer, clock);
            ASSERT_TRUE(n.has_value()) << n.error().message;
            if (*n == 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    std::int64_t outbox_to(std::int64_t citizen) {
        return scalar("SELECT COUNT(*) FROM outbox WHERE citizen_id = ?", {citizen});
    }
    std::string enrolment_state(std::int64_t journey_id) {
        return db().transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::string> {
                       return TRY(c.query_one("SELECT state || ':' || step FROM journey_enrolments WHERE journey_id = ?",
                                              {journey_id}))
                           .get_text(0);
                   })
            .value();
    }
    std::vector<store::StepStats> stats(std::int64_t id) {
        return db().transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::vector<store::StepStats>> {
                       auto j = TRY(store::find(c, id));
                       return store::statistics(c, *j);
                   })
            .value();
    }

    std::unique_ptr<db::testing::TestDatabase> tdb;
    ManualClock clock;
    EngineSettings settings;
    TagRuleEvaluator rules;
    RecordingPoints points;
    std::unique_ptr<Engine> engine;
    std::int64_t topic{0};
};

TEST_P(JourneyEngineTest, ThreeDayWaitThenMailRunsInMilliseconds) {
    auto j = journey({{"trigger", {{"type", "activity"}, {"activity", "newsletter.confirmed"}}},
                      {"steps", json::array({{{"id", "pause"}, {"type", "wait"}, {"duration", "3d"}},
                                             {{"id", "hello"}, {"type", "send_email"}, {"subject", "Hallo {{first_name}}"},
                                              {"body", "Willkommen, {{first_name}}!"}}})}});
    auto anna = person("anna@example.org");
    activity(anna, "newsletter.confirmed", json::object(), "topic:news");
    EXPECT_EQ(engine->run_until_idle().value(), 0); // entering the wait set its due time
    EXPECT_EQ(enrolment_state(j), "active:pause");
    EXPECT_EQ(stats(j)[0].waiting, 1);
    clock.advance(std::chrono::hours(71));
    EXPECT_EQ(engine->run_until_idle().value(), 0);
    EXPECT_EQ(outbox_to(anna), 0);
    clock.advance(std::chrono::hours(1)); // Friday 10:00: not quiet
    EXPECT_EQ(engine->run_until_idle().value(), 2);
    EXPECT_EQ(outbox_to(anna), 1);
    EXPECT_EQ(enrolment_state(j), "done:hello");
    auto s = stats(j);
    EXPECT_EQ(s[0].entered, 1);
    EXPECT_EQ(s[0].done, 1);
    EXPECT_EQ(s[1].entered, 1);
    EXPECT_EQ(s[1].done, 1);
    EXPECT_EQ(s[1].waiting, 0);
    // The mail is personalised and carries the one-click unsubscribe.
    auto payload = db().transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::string> {
        return TRY(c.query_one("SELECT payload FROM outbox WHERE citizen_id = ?", {anna})).get_text(0);
    });
    EXPECT_NE(payload->find("Hallo Anna"), std::string::npos);
    EXPECT_NE(payload->find("List-Unsubscribe-Post"), std::string::npos);
    // Re-entry "never": a second confirmation enrols nobody.
    activity(anna, "newsletter.confirmed", json::object(), "topic:news");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments WHERE journey_id = ?", {j}), 1);
}

TEST_P(JourneyEngineTest, NoMailWithoutConsentOrWhenSuppressed) {
    auto j = journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
                      {"quiet_hours", false},
                      {"steps", json::array({{{"type", "send_email"}, {"subject", "S"}, {"body", "B"}}})}});
    auto bob = person("bob@example.org", false);
    auto cleo = person("cleo@example.org");
    db().transaction(db::TxMode::Write, [&](db::Connection& c) {
          return delivery::suppressions::suppress(c, "cleo@example.org", delivery::suppressions::Reason::Manual, "",
                                                  clock);
      })
        .value();
    activity(bob, "test.go");
    activity(cleo, "test.go");
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(bob), 0);
    EXPECT_EQ(outbox_to(cleo), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments WHERE journey_id = ? AND state = 'exited'", {j}), 2);
    EXPECT_EQ(stats(j)[0].exited, 2);
}

TEST_P(JourneyEngineTest, QuietHoursPostponeMailToTheMorning) {
    journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
             {"steps", json::array({{{"type", "send_email"}, {"subject", "S"}, {"body", "B"}}})}});
    clock.set(*parse_rfc3339("2026-12-05T21:30:00Z")); // Saturday 22:30 Berlin
    auto anna = person("anna@example.org");
    activity(anna, "test.go");
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 0);
    clock.set(*parse_rfc3339("2026-12-07T06:59:00Z")); // Monday 07:59
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 0);
    clock.advance(std::chrono::minutes(1));
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 1);
}

// The town's setting (quiet_hours / TEILHABE_QUIET_HOURS, parsed as serve does) replaces the
// default: "22:00-07:00" keeps the nights shorter and lets mail out on Sundays.
TEST_P(JourneyEngineTest, TownQuietHoursSettingIsHonoured) {
    auto town = parse_quiet_hours_setting("22:00-07:00");
    ASSERT_TRUE(town);
    settings.quiet_hours = *town;
    engine = std::make_unique<Engine>(db(), clock, settings, &rules, &points);
    journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
             {"steps", json::array({{{"type", "send_email"}, {"subject", "S"}, {"body", "B"}}})}});
    clock.set(*parse_rfc3339("2026-12-05T20:30:00Z")); // Saturday 21:30 Berlin: quiet by default, not here
    auto anna = person("anna@example.org");
    activity(anna, "test.go");
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 1);

    clock.set(*parse_rfc3339("2026-12-05T21:30:00Z")); // Saturday 22:30: quiet
    auto ben = person("ben@example.org");
    activity(ben, "test.go");
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(ben), 0);
    clock.set(*parse_rfc3339("2026-12-06T05:59:00Z")); // Sunday 06:59
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(ben), 0);
    clock.advance(std::chrono::minutes(1)); // Sunday 07:00: Sundays are not quiet here
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(ben), 1);
}

TEST_P(JourneyEngineTest, BranchTagPointsAndFilter) {
    auto j = journey({{"trigger", {{"type", "activity"}, {"activity", "email.clicked"}, {"filter", {{"props", {{"topic", "kultur"}}}}}}},
                      {"reentry", "always"},
                      {"steps", json::array({{{"type", "branch"}, {"rule", {{"tag", "vip"}}}, {"then", "points"}},
                                             {{"type", "add_tag"}, {"tag", "kultur-fan"}, {"next", "exit"}},
                                             {{"id", "points"}, {"type", "award_points"}, {"points", 5}}})}});
    auto anna = person("anna@example.org");
    auto vip = person("vip@example.org");
    scalar("INSERT INTO citizen_tags (citizen_id, tag) VALUES (?, 'vip') RETURNING citizen_id", {vip});
    activity(anna, "email.clicked", {{"topic", "sport"}}); // filter: no
    activity(anna, "email.clicked", {{"topic", "kultur"}});
    activity(vip, "email.clicked", {{"topic", "kultur"}});
    engine->run_until_idle().value();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM citizen_tags WHERE citizen_id = ? AND tag = 'kultur-fan'", {anna}), 1);
    // The tag went through the citizens store: an activity of the change.
    EXPECT_GE(scalar("SELECT COUNT(*) FROM activities WHERE citizen_id = ? AND actor = ?", {anna, "system:journey:" + std::to_string(j)}), 1);
    ASSERT_EQ(points.calls.size(), 1u);
    EXPECT_EQ(points.calls[0].citizen, vip);
    EXPECT_EQ(points.calls[0].points, 5);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments WHERE journey_id = ?", {j}), 2);
}

TEST_P(JourneyEngineTest, SwitchedOffJourneysHoldTheirPeople) {
    auto j = journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
                      {"steps", json::array({{{"type", "wait"}, {"duration", "1h"}}, {{"type", "add_tag"}, {"tag", "x"}}})}});
    auto anna = person("anna@example.org");
    activity(anna, "test.go");
    engine->run_until_idle().value();
    db().transaction(db::TxMode::Write, [&](db::Connection& c) { return store::set_active(c, j, false, {"staff:1", ""}, clock); }).value();
    clock.advance(std::chrono::hours(2));
    EXPECT_EQ(engine->run_until_idle().value(), 0);
    EXPECT_EQ(enrolment_state(j), "active:s1");
    db().transaction(db::TxMode::Write, [&](db::Connection& c) { return store::set_active(c, j, true, {"staff:1", ""}, clock); }).value();
    EXPECT_EQ(engine->run_until_idle().value(), 2);
    EXPECT_EQ(enrolment_state(j), "done:s2");
}

TEST_P(JourneyEngineTest, ReadyMadeWelcomeArrivesNextMorning) {
    db().transaction(db::TxMode::Write, [&](db::Connection& c) { return store::seed_ready_made(c, clock); }).value();
    auto id = scalar("SELECT id FROM journeys WHERE key = 'welcome'");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journeys WHERE active"), 0); // off by default
    db().transaction(db::TxMode::Write, [&](db::Connection& c) { return store::set_active(c, id, true, {"staff:1", ""}, clock); }).value();
    clock.set(*parse_rfc3339("2026-12-05T10:00:00Z")); // Saturday 11:00 Berlin
    auto anna = person("anna@example.org");
    activity(anna, "newsletter.confirmed", json::object(), "topic:news");
    engine->run_until_idle().value();
    clock.set(*parse_rfc3339("2026-12-07T07:59:00Z")); // Monday 08:59
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 0);
    clock.advance(std::chrono::minutes(1)); // Monday 9:00, 46 hours after the confirmation
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 1);
}

TEST_P(JourneyEngineTest, EventReminderTwoDaysBefore) {
    db().transaction(db::TxMode::Write, [&](db::Connection& c) { return store::seed_ready_made(c, clock); }).value();
    auto id = scalar("SELECT id FROM journeys WHERE key = 'event_reminder'");
    db().transaction(db::TxMode::Write, [&](db::Connection& c) { return store::set_active(c, id, true, {"staff:1", ""}, clock); }).value();
    auto anna = person("anna@example.org");
    activity(anna, "event.registered", {{"starts_at", "2026-12-12T10:00:00+01:00"}, {"title", "Dreck-weg-Tag"}});
    engine->run_until_idle().value();
    clock.set(*parse_rfc3339("2026-12-10T08:59:00Z"));
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 0);
    clock.set(*parse_rfc3339("2026-12-10T09:00:00Z"));
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 1);
    auto payload = db().transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::string> {
        return TRY(c.query_one("SELECT payload FROM outbox WHERE citizen_id = ?", {anna})).get_text(0);
    });
    EXPECT_NE(payload->find("Dreck-weg-Tag"), std::string::npos);
    EXPECT_NE(payload->find("12.12.2026, 10:00"), std::string::npos);
}

TEST(JourneyBackOff, DoublesFromOneMinuteUpToAnHour) {
    EngineSettings s;
    std::vector<std::int64_t> minutes;
    for (int failures = 1; failures <= 9; ++failures)
        minutes.push_back(std::chrono::duration_cast<std::chrono::minutes>(back_off(s, failures)).count());
    EXPECT_EQ(minutes, (std::vector<std::int64_t>{1, 2, 4, 8, 16, 32, 60, 60, 60}));
}

// A step that fails for a passing reason is tried again after 1, 2, 4 ... minutes; the others
// in the batch walk on meanwhile; the count and the next try are in the enrolment, so a new
// engine (a restart) keeps to them.
TEST_P(JourneyEngineTest, PassingFailureBacksOffPerPersonAndSurvivesARestart) {
    auto j = journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
                      {"steps", json::array({{{"type", "award_points"}, {"points", 5}},
                                             {{"type", "add_tag"}, {"tag", "belohnt"}}})}});
    auto anna = person("anna@example.org");
    auto ben = person("ben@example.org");
    points.failing_citizen = anna;
    points.failures = 3;
    activity(anna, "test.go");
    activity(ben, "test.go");
    auto start = clock.now();
    engine->run_until_idle().value();
    auto tag_of = [&](std::int64_t who) {
        return scalar("SELECT COUNT(*) FROM citizen_tags WHERE citizen_id = ? AND tag = 'belohnt'", {who});
    };
    EXPECT_EQ(tag_of(ben), 1); // not held up by Anna's trouble
    EXPECT_EQ(tag_of(anna), 0);
    auto attempts = [&] { return scalar("SELECT attempts FROM journey_enrolments WHERE citizen_id = ?", {anna}); };
    auto due = [&] { return scalar("SELECT due_at FROM journey_enrolments WHERE citizen_id = ?", {anna}); };
    EXPECT_EQ(attempts(), 1);
    EXPECT_EQ(due(), to_unix_ms(start + std::chrono::minutes(1)));
    auto s = stats(j);
    EXPECT_EQ(s[0].retrying, 1);
    EXPECT_EQ(s[0].waiting, 1);
    ASSERT_TRUE(s[0].last_error);
    EXPECT_NE(s[0].last_error->find("ledger is not reachable"), std::string::npos);

    clock.advance(std::chrono::seconds(59));
    engine->run_until_idle().value();
    EXPECT_EQ(attempts(), 1); // not before its time
    clock.advance(std::chrono::seconds(1));
    engine->run_until_idle().value();
    EXPECT_EQ(attempts(), 2);
    EXPECT_EQ(due(), to_unix_ms(clock.now() + std::chrono::minutes(2)));

    // A restart: a new engine reads the count and the next try from the database.
    engine = std::make_unique<Engine>(db(), clock, settings, &rules, &points);
    clock.advance(std::chrono::seconds(119));
    engine->run_until_idle().value();
    EXPECT_EQ(attempts(), 2);
    clock.advance(std::chrono::seconds(1));
    engine->run_until_idle().value();
    EXPECT_EQ(attempts(), 3);
    EXPECT_EQ(due(), to_unix_ms(clock.now() + std::chrono::minutes(4)));
    clock.advance(std::chrono::minutes(4)); // the ledger is back
    engine->run_until_idle().value();
    EXPECT_EQ(tag_of(anna), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments WHERE citizen_id = ? AND state = 'done' AND step = 's2'",
                     {anna}),
              1);
    EXPECT_EQ(attempts(), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments WHERE last_error IS NOT NULL"), 0);
    ASSERT_EQ(points.calls.size(), 2u); // each award once
    s = stats(j);
    EXPECT_EQ(s[0].done, 2);
    EXPECT_EQ(s[0].retrying, 0);
    EXPECT_EQ(s[0].failed, 0);
}

// The last attempt ends the person's journey at the step, counted as failed with the reason.
TEST_P(JourneyEngineTest, GivesUpAfterTheLastAttemptWithTheReason) {
    settings.max_attempts = 3;
    engine = std::make_unique<Engine>(db(), clock, settings, &rules, &points);
    auto j = journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
                      {"steps", json::array({{{"id", "award"}, {"type", "award_points"}, {"points", 5}},
                                             {{"type", "add_tag"}, {"tag", "belohnt"}}})}});
    auto anna = person("anna@example.org");
    points.failing_citizen = anna;
    points.failures = -1;
    activity(anna, "test.go");
    engine->run_until_idle().value(); // attempt 1
    clock.advance(std::chrono::minutes(1));
    engine->run_until_idle().value(); // attempt 2
    EXPECT_EQ(enrolment_state(j), "active:award");
    clock.advance(std::chrono::minutes(2));
    engine->run_until_idle().value(); // attempt 3: the last
    EXPECT_EQ(enrolment_state(j), "exited:award");
    auto reason = db().transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::string> {
        return TRY(c.query_one("SELECT last_error FROM journey_enrolments WHERE citizen_id = ?", {anna})).get_text(0);
    });
    EXPECT_EQ(*reason, "gave up after 3 attempts: the ledger is not reachable");
    auto s = stats(j);
    EXPECT_EQ(s[0].failed, 1);
    EXPECT_EQ(s[0].exited, 0);
    EXPECT_EQ(s[0].retrying, 0);
    ASSERT_TRUE(s[0].last_error);
    EXPECT_EQ(*s[0].last_error, *reason);
    clock.advance(std::chrono::hours(2));
    EXPECT_EQ(engine->run_until_idle().value(), 0); // nothing left to try
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM citizen_tags WHERE tag = 'belohnt'"), 0);
}

// The outbox refusing a row (here a trigger standing in for a failing outbox) is a passing
// failure of the mail step too: nothing is queued, the step is tried again a minute later.
TEST_P(JourneyEngineTest, OutboxFailureIsTriedAgainLater) {
    journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
             {"quiet_hours", false},
             {"steps", json::array({{{"type", "send_email"}, {"subject", "S"}, {"body", "B"}}})}});
    auto anna = person("anna@example.org");
    auto exec = [&](const std::string& sql) {
        db().transaction(db::TxMode::Write, [&](db::Connection& c) { return c.execute(sql); }).value();
    };
    if (GetParam() == db::Backend::Sqlite) {
        exec("CREATE TRIGGER outbox_down BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox down'); END");
    } else {
        exec("CREATE FUNCTION outbox_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
             "'outbox down'; END $$");
        exec("CREATE TRIGGER outbox_down BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_down()");
    }
    activity(anna, "test.go");
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 0);
    EXPECT_EQ(scalar("SELECT attempts FROM journey_enrolments WHERE citizen_id = ?", {anna}), 1);
    exec(GetParam() == db::Backend::Sqlite ? "DROP TRIGGER outbox_down" : "DROP TRIGGER outbox_down ON outbox");
    clock.advance(std::chrono::minutes(1));
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 1);
    EXPECT_EQ(scalar("SELECT attempts FROM journey_enrolments WHERE citizen_id = ?", {anna}), 0);
}

// The mail steps of a batch read profiles, consents and suppressions once for the batch; a
// person whom an earlier step of the same batch changed is read again, so the mail sees it.
TEST_P(JourneyEngineTest, BatchReadsForMailSeeChangesMadeEarlierInTheBatch) {
    journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
             {"steps", json::array({{{"type", "add_interest"}, {"topic", "news"}}})}});
    journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
             {"quiet_hours", false},
             {"steps", json::array({{{"type", "send_email"}, {"subject", "S"},
                                     {"body", "Hallo{{#interest.news}} NEUIGKEITEN{{/interest.news}}"}}})}});
    auto anna = person("anna@example.org");
    auto bob = person("bob@example.org", false); // no consent: exits at the mail
    activity(anna, "test.go");
    activity(bob, "test.go");
    engine->run_until_idle().value();
    ASSERT_EQ(outbox_to(anna), 1);
    EXPECT_EQ(outbox_to(bob), 0);
    auto payload = db().transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::string> {
        return TRY(c.query_one("SELECT payload FROM outbox WHERE citizen_id = ?", {anna})).get_text(0);
    });
    EXPECT_NE(payload->find("NEUIGKEITEN"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, JourneyEngineTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::journeys
