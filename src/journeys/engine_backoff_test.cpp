// The journey engine: a step that fails for a passing reason is tried again per person with
// back-off, survives a restart and is given up with the reason (issue 6).
#include "journeys/engine_test_fixture.h"

namespace teilhabe::journeys {
namespace {

class JourneyBackOffTest : public engine_testing::JourneyEngineTest {};
using nlohmann::json;

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
TEST_P(JourneyBackOffTest, PassingFailureBacksOffPerPersonAndSurvivesARestart) {
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
TEST_P(JourneyBackOffTest, GivesUpAfterTheLastAttemptWithTheReason) {
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
TEST_P(JourneyBackOffTest, OutboxFailureIsTriedAgainLater) {
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

// The batch's mails go to the outbox in one statement; when the outbox refuses one person's
// row, the batch runs again one insert per step: the others' mails are queued once, and only
// that person backs off.
TEST_P(JourneyBackOffTest, OneRefusedRowInABatchOfMailsBacksOffOnlyThatPerson) {
    journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
             {"quiet_hours", false},
             {"steps", json::array({{{"type", "send_email"}, {"subject", "S"}, {"body", "B"}}})}});
    auto anna = person("anna@example.org");
    auto ben = person("ben@example.org");
    auto cleo = person("cleo@example.org");
    auto exec = [&](const std::string& sql) {
        db().transaction(db::TxMode::Write, [&](db::Connection& c) { return c.execute(sql); }).value();
    };
    if (GetParam() == db::Backend::Sqlite) {
        exec("CREATE TRIGGER outbox_refuses_anna BEFORE INSERT ON outbox WHEN NEW.email = 'anna@example.org' "
             "BEGIN SELECT RAISE(ABORT, 'no room for anna'); END");
    } else {
        exec("CREATE FUNCTION outbox_refuses_anna() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.email = "
             "'anna@example.org' THEN RAISE EXCEPTION 'no room for anna'; END IF; RETURN NEW; END $$");
        exec("CREATE TRIGGER outbox_refuses_anna BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION "
             "outbox_refuses_anna()");
    }
    activity(anna, "test.go");
    activity(ben, "test.go");
    activity(cleo, "test.go");
    EXPECT_EQ(engine->run_once().value(), 2); // one batch: Ben's and Cleo's steps ran
    EXPECT_EQ(outbox_to(anna), 0);
    EXPECT_EQ(outbox_to(ben), 1);
    EXPECT_EQ(outbox_to(cleo), 1);
    EXPECT_EQ(scalar("SELECT attempts FROM journey_enrolments WHERE citizen_id = ?", {anna}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments WHERE state = 'done'"), 2);
    EXPECT_EQ(engine->run_until_idle().value(), 0); // nobody runs twice
    EXPECT_EQ(outbox_to(ben), 1);
    exec(GetParam() == db::Backend::Sqlite ? "DROP TRIGGER outbox_refuses_anna"
                                           : "DROP TRIGGER outbox_refuses_anna ON outbox");
    clock.advance(std::chrono::minutes(1));
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments WHERE state = 'done'"), 3);
}

// A mail step of a bulk batch runs without a savepoint of its own; when it fails for a passing
// reason (here the check whether the occasion still holds cannot reach its data), the batch
// runs again with savepoints, and only that person backs off, with the reason.
TEST_P(JourneyBackOffTest, AFailingMailStepInABatchBacksOffOnlyThatPerson) {
    struct Unreachable final : OccasionCheck {
        std::int64_t who{0};
        Result<std::optional<std::string>> gone(db::Connection&, std::int64_t citizen_id, const json&) override {
            if (citizen_id == who)
                return fail(Error::unavailable("the events are not reachable"));
            return std::optional<std::string>{};
        }
    } occasions;
    engine = std::make_unique<Engine>(db(), clock, settings, &rules, &points, &occasions);
    journey({{"trigger", {{"type", "activity"}, {"activity", "test.go"}}},
             {"quiet_hours", false},
             {"steps", json::array({{{"type", "send_email"}, {"subject", "S"}, {"body", "B"}}})}});
    auto anna = person("anna@example.org");
    auto ben = person("ben@example.org");
    occasions.who = anna;
    activity(anna, "test.go");
    activity(ben, "test.go");
    EXPECT_EQ(engine->run_once().value(), 1);
    EXPECT_EQ(outbox_to(ben), 1);
    EXPECT_EQ(outbox_to(anna), 0);
    EXPECT_EQ(scalar("SELECT attempts FROM journey_enrolments WHERE citizen_id = ?", {anna}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments WHERE citizen_id = ? AND last_error LIKE "
                     "'%not reachable%'",
                     {anna}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments WHERE citizen_id = ? AND state = 'done'", {ben}), 1);
    occasions.who = 0; // reachable again
    clock.advance(std::chrono::minutes(1));
    engine->run_until_idle().value();
    EXPECT_EQ(outbox_to(anna), 1);
    EXPECT_EQ(outbox_to(ben), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, JourneyBackOffTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::journeys
