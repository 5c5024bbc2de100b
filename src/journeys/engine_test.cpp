// The engine on SQLite and PostgreSQL: enrolment by the activity consumer, waits of days with
// the injected clock, mail through the real outbox with consent and suppression checks, quiet
// hours, branches, tags through the citizens store, re-entry, statistics per step.

#include "journeys/engine_test_fixture.h"

namespace teilhabe::journeys {
namespace {

using nlohmann::json;
using engine_testing::JourneyEngineTest;

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
