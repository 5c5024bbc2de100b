#pragma once
// The journey engine's test fixture: a real database (SQLite file or PostgreSQL), the ManualClock,
// an engine with a recording points seam; shared by engine_test.cpp and engine_backoff_test.cpp.
#include "activity/activity_store.h"
#include "activity/consumer.h"
#include "db/test_support.h"
#include "delivery/suppression_store.h"
#include "journeys/consumer.h"
#include "journeys/engine.h"
#include "journeys/journey_store.h"

#include <gtest/gtest.h>
#include <thread>

namespace teilhabe::journeys::engine_testing {

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

} // namespace teilhabe::journeys::engine_testing
