// Live membership on SQLite and PostgreSQL: every kind of condition, the consumer, time windows
// passing with the ManualClock (the durable recheck job), the bulk job for new and edited rules.

#include "activity/activity_store.h"
#include "activity/consumer.h"
#include "activity/consumer_testing.h"
#include "db/test_support.h"
#include "jobs/worker.h"
#include "segments/consumer.h"
#include "segments/jobs.h"
#include "segments/membership.h"
#include "segments/rule_json.h"
#include "segments/rule_text.h"
#include "segments/segment_store.h"

#include <gtest/gtest.h>
#include <thread>

namespace teilhabe::segments {
namespace {

constexpr auto kDay = std::chrono::hours(24);

class MembershipTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto made = db::testing::make_database(GetParam());
        ASSERT_TRUE(made) << made.error().message;
        tdb = std::move(*made);
        worker = std::make_unique<jobs::Worker>(db(), clock, jobs::WorkerOptions{.worker_id = "test"});
        register_jobs(*worker, db(), clock);
    }
    db::Database& db() { return *tdb->db; }

    db::Rows sql(const std::string& q, const db::Params& p = {}) {
        auto lease = db().acquire();
        EXPECT_TRUE(lease);
        auto r = (*lease)->query(q, p);
        EXPECT_TRUE(r) << q << ": " << (r ? "" : r.error().message);
        return r ? *r : db::Rows{};
    }
    std::int64_t count(const std::string& q, const db::Params& p = {}) { return sql(q, p).first().get_int(0); }
    std::int64_t citizen(const std::string& email, const std::string& district = "") {
        return sql("INSERT INTO citizens (email, district, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id",
                   {email, district, clock.now_ms(), clock.now_ms()})
            .first()
            .get_int(0);
    }
    std::int64_t topic(const std::string& key) {
        return sql("INSERT INTO topics (key, name_de, name_en, created_at) VALUES (?, ?, ?, 0) RETURNING id",
                   {key, key, key})
            .first()
            .get_int(0);
    }
    std::int64_t field(const std::string& key, const std::string& type) {
        return sql("INSERT INTO fields (key, type, label_de, label_en, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0) "
                   "RETURNING id",
                   {key, type, key, key})
            .first()
            .get_int(0);
    }
    void consent(std::int64_t who, std::int64_t topic_id, const std::string& status) {
        sql("INSERT INTO consents (citizen_id, subject, topic_id, status, consent_text_id, requested_at, updated_at) "
            "VALUES (?, ?, ?, ?, 1, 0, 0)",
            {who, "topic:" + std::to_string(topic_id), topic_id, status});
    }
    void act(std::int64_t who, const std::string& type, const std::string& object = "",
             std::optional<TimePoint> at = std::nullopt) {
        auto done = db().transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
            activity::Activity a;
            a.type = type;
            a.citizen_id = who;
            a.actor = "system";
            a.object = object;
            a.occurred_at = at.value_or(clock.now());
            TRY(activity::append(c, std::move(a), clock));
            return {};
        });
        ASSERT_TRUE(done) << done.error().message;
    }
    Segment create(const std::string& key, const std::string& text) {
        auto rule = parse_text(text);
        EXPECT_TRUE(rule) << (rule ? "" : rule.error().message);
        auto s = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return store::create(c, {.key = key, .name = key, .rule = *rule}, "staff:1", clock);
        });
        EXPECT_TRUE(s) << (s ? "" : s.error().message);
        return *s;
    }
    bool matches(const std::string& text, std::int64_t who) {
        auto rule = parse_text(text);
        EXPECT_TRUE(rule) << text;
        auto lease = db().acquire();
        auto r = citizen_matches(**lease, dump_json(*rule), who, clock.now());
        EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error().message);
        return r && *r;
    }
    // Until the consumer has handled every activity written so far (boundedly; see
    // activity/consumer_testing.h for why PostgreSQL may need more than one run).
    void consume() {
        auto done = activity::testing::consume_all(db(), consumer, clock);
        ASSERT_TRUE(done) << done.error().message;
        ASSERT_TRUE(*done) << "the consumer did not catch up";
    }
    void run_jobs() { ASSERT_TRUE(worker->run_until_idle()); }
    std::int64_t members(std::int64_t segment) {
        return count("SELECT COUNT(*) FROM segment_members WHERE segment_id = ?", {segment});
    }
    bool member(std::int64_t segment, std::int64_t who) {
        return count("SELECT COUNT(*) FROM segment_members WHERE segment_id = ? AND citizen_id = ?", {segment, who}) == 1;
    }
    std::int64_t activities(const std::string& type, std::int64_t who) {
        return count("SELECT COUNT(*) FROM activities WHERE type = ? AND citizen_id = ?", {type, who});
    }

    std::unique_ptr<db::testing::TestDatabase> tdb;
    ManualClock clock{from_unix_ms(1'790'000'000'000)}; // 2026-09-21
    std::unique_ptr<jobs::Worker> worker;
    MembershipConsumer consumer{clock};
};

TEST_P(MembershipTest, ProfileFieldsTagsInterestsAndConsentsMatch) {
    auto kultur = topic("kultur");
    auto anna = citizen("anna@example.org", "Nord");
    auto bob = citizen("bob@example.org", "Süd");
    sql("UPDATE citizens SET first_name = 'Anna', language = 'en' WHERE id = ?", {anna});
    sql("INSERT INTO citizen_tags (citizen_id, tag) VALUES (?, 'ehrenamt')", {anna});
    sql("INSERT INTO citizen_interests (citizen_id, topic_id, created_at) VALUES (?, ?, 0)", {bob, kultur});
    consent(anna, kultur, "confirmed");
    consent(bob, kultur, "pending");
    sql("INSERT INTO consents (citizen_id, subject, status, consent_text_id, requested_at, updated_at) "
        "VALUES (?, 'tracking', 'confirmed', 2, 0, 0)",
        {bob});

    EXPECT_TRUE(matches("district = \"Nord\"", anna));
    EXPECT_FALSE(matches("district = \"Nord\"", bob));
    EXPECT_TRUE(matches("district != \"Nord\"", bob));
    EXPECT_TRUE(matches("email = \"ANNA@example.org\"", anna));
    EXPECT_TRUE(matches("first_name contains \"nn\"", anna));
    EXPECT_FALSE(matches("first_name contains \"NN\"", anna)); // case-sensitive on both engines
    EXPECT_TRUE(matches("language = \"en\" and created_at >= \"2026-09-21\"", anna));
    EXPECT_FALSE(matches("created_at < \"2026-09-21\"", anna));
    EXPECT_TRUE(matches("tag \"ehrenamt\"", anna));
    EXPECT_FALSE(matches("tag \"ehrenamt\"", bob));
    EXPECT_TRUE(matches("interest kultur", bob));
    EXPECT_TRUE(matches("consent topic kultur", anna));
    EXPECT_FALSE(matches("consent topic kultur", bob)); // pending is not consent
    EXPECT_TRUE(matches("consent tracking", bob));
    EXPECT_TRUE(matches("not consent tracking and (tag \"x\" or district = \"Nord\")", anna));
    // Restricted processing (GDPR Art. 18): in no segment, whatever the rule.
    sql("UPDATE citizens SET restricted_at = 1 WHERE id = ?", {anna});
    EXPECT_FALSE(matches("district = \"Nord\"", anna));
}

TEST_P(MembershipTest, CustomFieldsCompareByTheirType) {
    auto year = field("geburtsjahr", "number");
    auto since = field("mitglied_seit", "date");
    auto sports = field("sportarten", "multichoice");
    auto anna = citizen("anna@example.org");
    sql("INSERT INTO citizen_values (citizen_id, field_id, value, number, recorded_at) VALUES (?, ?, '1990', 1990, 0)",
        {anna, year});
    sql("INSERT INTO citizen_values (citizen_id, field_id, value, recorded_at) VALUES (?, ?, '2020-05-01', 0)",
        {anna, since});
    for (auto s : {"schwimmen", "laufen"})
        sql("INSERT INTO citizen_values (citizen_id, field_id, value, recorded_at) VALUES (?, ?, ?, 0)",
            {anna, sports, s});
    EXPECT_TRUE(matches("attribute geburtsjahr >= 1985 and attribute geburtsjahr < 1995.5", anna));
    EXPECT_FALSE(matches("attribute geburtsjahr > 1990", anna));
    EXPECT_TRUE(matches("attribute mitglied_seit < \"2021-01-01\"", anna));
    EXPECT_TRUE(matches("attribute sportarten = \"laufen\"", anna));
    EXPECT_FALSE(matches("attribute sportarten = \"rudern\"", anna));
    EXPECT_TRUE(matches("attribute sportarten != \"rudern\"", anna));

    // The store refuses what does not fit the definition, pointing at it.
    auto lease = db().acquire();
    auto number_as_text = store::create(**lease, {.key = "x", .name = "x", .rule = *parse_text("tag \"a\" or attribute geburtsjahr = \"1990\"")}, "t", clock);
    ASSERT_FALSE(number_as_text);
    EXPECT_EQ(number_as_text.error().field, "/rule/any/1/value");
    auto unknown = store::create(**lease, {.key = "x", .name = "x", .rule = *parse_text("attribute schuhgroesse = 42")}, "t", clock);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().field, "/rule/attribute");
    auto no_topic = store::create(**lease, {.key = "x", .name = "x", .rule = *parse_text("not interest musik")}, "t", clock);
    ASSERT_FALSE(no_topic);
    EXPECT_EQ(no_topic.error().field, "/rule/not/interest");
}

TEST_P(MembershipTest, ActivityCountsInWindows) {
    auto anna = citizen("anna@example.org");
    auto now = clock.now();
    act(anna, "email.clicked", "topic:kultur", now - 40 * kDay);
    act(anna, "email.clicked", "topic:kultur", now - 10 * kDay);
    act(anna, "email.clicked", "topic:sport", now - 1 * kDay);
    act(anna, "event.attended", "event:4", from_unix_ms(*date_ms("2026-03-01")));
    EXPECT_TRUE(matches("activity email.clicked object \"topic:kultur\" within 30 days", anna));
    EXPECT_FALSE(matches("activity email.clicked object \"topic:kultur\" count >= 2 within 30 days", anna));
    EXPECT_TRUE(matches("activity email.clicked object \"topic:kultur\" count = 2", anna));
    EXPECT_TRUE(matches("activity email.clicked count = 3", anna));
    EXPECT_TRUE(matches("activity email.clicked count > 1 within 30 days", anna));
    EXPECT_TRUE(matches("activity event.attended from \"2026-01-01\" until \"2027-01-01\"", anna));
    EXPECT_FALSE(matches("activity event.attended from \"2025-01-01\" until \"2026-01-01\"", anna));
    EXPECT_TRUE(matches("activity email.opened count = 0 within 90 days", anna));
    EXPECT_FALSE(matches("activity email.clicked count < 3", anna));
}

TEST_P(MembershipTest, AnActivityEntersAndTimeAloneLeaves) {
    auto anna = citizen("anna@example.org", "Nord");
    auto bob = citizen("bob@example.org", "Süd");
    auto s = create("kultur_nord", "district = \"Nord\" and activity email.clicked object \"topic:kultur\" within 30 days");
    run_jobs();
    EXPECT_EQ(members(s.id), 0);
    consume(); // the profiles' own activities (none here but the fixture's) change nothing

    act(anna, "email.clicked", "topic:kultur");
    act(bob, "email.clicked", "topic:kultur");
    consume();
    EXPECT_TRUE(member(s.id, anna));
    EXPECT_FALSE(member(s.id, bob));
    auto entered = sql("SELECT object, props, actor FROM activities WHERE type = 'segment.entered' AND citizen_id = ?", {anna});
    ASSERT_EQ(entered.rows.size(), 1u);
    EXPECT_EQ(entered.first().get_text(0), "segment:" + std::to_string(s.id));
    EXPECT_EQ(nlohmann::json::parse(entered.first().get_text(1)), nlohmann::json({{"segment", "kultur_nord"}}));
    EXPECT_EQ(entered.first().get_text(2), "system");

    // A second click: still a member, no second entry.
    clock.advance(10 * kDay);
    act(anna, "email.clicked", "topic:kultur");
    consume();
    EXPECT_EQ(activities("segment.entered", anna), 1);

    // 29 days after the second click it is still in the window; 30 days after, it is not.
    clock.advance(29 * kDay);
    run_jobs();
    EXPECT_TRUE(member(s.id, anna));
    clock.advance(kDay + std::chrono::minutes(1));
    run_jobs();
    EXPECT_FALSE(member(s.id, anna));
    EXPECT_EQ(activities("segment.left", anna), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM segment_rechecks WHERE citizen_id = ?", {anna}), 0);
}

TEST_P(MembershipTest, NoOpenIn90DaysEntersWhenTheLastOpenLeavesTheWindow) {
    auto anna = citizen("anna@example.org");
    act(anna, "email.opened", "campaign:1");
    auto s = create("schlaefer", "activity email.opened count = 0 within 90 days");
    run_jobs();
    consume();
    EXPECT_FALSE(member(s.id, anna));
    clock.advance(90 * kDay - std::chrono::minutes(5));
    run_jobs();
    EXPECT_FALSE(member(s.id, anna));
    clock.advance(std::chrono::minutes(6));
    run_jobs();
    EXPECT_TRUE(member(s.id, anna));
    EXPECT_EQ(activities("segment.entered", anna), 1);
}

TEST_P(MembershipTest, NewAndEditedRulesAreComputedInBulkThenKeptLive) {
    std::vector<std::int64_t> nord, sued;
    for (int i = 0; i < 25; ++i)
        (i % 2 ? sued : nord).push_back(citizen("p" + std::to_string(i) + "@example.org", i % 2 ? "Süd" : "Nord"));
    auto s = create("nord", "district = \"Nord\"");
    EXPECT_EQ(s.status, Status::Computing);
    ASSERT_TRUE(run_compute(db(), clock, s.id, 1)); // in chunks; the default is larger
    EXPECT_EQ(members(s.id), static_cast<std::int64_t>(nord.size()));
    auto live = db().transaction(db::TxMode::Read, [&](db::Connection& c) { return store::find(c, s.id); });
    EXPECT_EQ((*live)->status, Status::Live);
    EXPECT_EQ((*live)->member_count, static_cast<std::int64_t>(nord.size()));
    EXPECT_EQ(activities("segment.entered", nord[0]), 1);

    // Edited: the new version is computed by the job the edit queued; who no longer matches leaves.
    auto edited = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::update(c, s.id, {.rule = *parse_text("district = \"Süd\"")}, clock);
    });
    ASSERT_TRUE(edited) << edited.error().message;
    EXPECT_EQ(edited->version, 2);
    EXPECT_EQ(edited->status, Status::Computing);
    run_jobs();
    EXPECT_EQ(members(s.id), static_cast<std::int64_t>(sued.size()));
    EXPECT_EQ(activities("segment.left", nord[0]), 1);
    EXPECT_TRUE(member(s.id, sued[0]));

    // Kept live: a profile change is an activity too.
    sql("UPDATE citizens SET district = 'Nord' WHERE id = ?", {sued[0]});
    act(sued[0], "citizen.updated");
    consume();
    EXPECT_FALSE(member(s.id, sued[0]));

    // Erasure takes the memberships with the profile.
    sql("DELETE FROM citizens WHERE id = ?", {sued[1]});
    EXPECT_EQ(members(s.id), static_cast<std::int64_t>(sued.size()) - 2);
    // Deleting the segment takes its members.
    auto removed = db().transaction(db::TxMode::Write, [&](db::Connection& c) { return store::remove(c, s.id); });
    ASSERT_TRUE(removed);
    EXPECT_EQ(members(s.id), 0);
}

// A town without segments: the consumer reads no activity and only moves its position past
// them. The first segment is computed for everyone when it is created, so the clicks it skipped
// still count; from then on it is kept live by the consumer.
TEST_P(MembershipTest, WithoutSegmentsNothingIsReadAndTheFirstOneStillCountsEverything) {
    auto anna = citizen("anna@example.org");
    auto ben = citizen("ben@example.org");
    act(anna, "email.clicked", "topic:kultur");
    act(anna, "email.clicked", "topic:kultur");
    consume();
    auto newest = count("SELECT MAX(id) FROM activities");
    EXPECT_EQ(count("SELECT activity_id FROM consumer_positions WHERE consumer = 'segments'"), newest);

    auto s = create("klicker", "activity email.clicked count >= 2");
    ASSERT_TRUE(run_compute(db(), clock, s.id, s.version));
    EXPECT_TRUE(member(s.id, anna));
    EXPECT_FALSE(member(s.id, ben));
    act(ben, "email.clicked", "topic:sport");
    act(ben, "email.clicked", "topic:sport");
    consume();
    EXPECT_TRUE(member(s.id, ben));
}

TEST_P(MembershipTest, BulkComputePlansRechecksForTimeWindows) {
    auto anna = citizen("anna@example.org");
    act(anna, "email.clicked", "topic:kultur");
    auto s = create("klick", "activity email.clicked within 7 days");
    run_jobs();
    EXPECT_TRUE(member(s.id, anna));
    clock.advance(7 * kDay + std::chrono::minutes(1));
    run_jobs();
    EXPECT_FALSE(member(s.id, anna));
}

// The bulk job plans a recheck only for people whose result time can change: a counted click
// inside the window (leaves later) or one dated in the future (enters later); not for someone
// whose clicks are of another topic, or too old to count.
TEST_P(MembershipTest, BulkComputePlansRechecksOnlyWhereTimeCanChangeTheResult) {
    auto inside = citizen("inside@example.org");
    auto future = citizen("future@example.org");
    auto other_topic = citizen("other@example.org");
    auto too_old = citizen("old@example.org");
    act(inside, "email.clicked", "topic:kultur", clock.now() - 2 * kDay);
    act(future, "email.clicked", "topic:kultur", clock.now() + 3 * kDay);
    act(other_topic, "email.clicked", "topic:sport");
    act(too_old, "email.clicked", "topic:kultur", clock.now() - 40 * kDay);
    auto s = create("kultur", "activity email.clicked object \"topic:kultur\" within 30 days");
    run_jobs();
    EXPECT_TRUE(member(s.id, inside));
    EXPECT_FALSE(member(s.id, future));
    auto due = [&](std::int64_t who) {
        return count("SELECT COUNT(*) FROM segment_rechecks WHERE citizen_id = ?", {who});
    };
    EXPECT_EQ(due(inside), 1);
    EXPECT_EQ(due(future), 1);
    EXPECT_EQ(due(other_topic), 0);
    EXPECT_EQ(due(too_old), 0);
    // And the plan is right: the future click enters on its day, the inside one leaves on day 28.
    clock.advance(3 * kDay + std::chrono::minutes(1));
    run_jobs();
    EXPECT_TRUE(member(s.id, future));
    clock.advance(26 * kDay);
    run_jobs();
    EXPECT_FALSE(member(s.id, inside));
    EXPECT_TRUE(member(s.id, future));
}

INSTANTIATE_TEST_SUITE_P(Backends, MembershipTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::segments
