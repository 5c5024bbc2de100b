// Issue 6's crash test for journeys: `teilhabe serve` walks 3,000 people through a journey
// "send an e-mail, then add a tag" and is killed with SIGKILL at random moments, four times,
// restarted each time. Afterwards everybody is done, and each step ran exactly once in effect:
// one outbox row per person (a step's mail is queued in the transaction that advances the
// person), one tag, counters that add up. No SMTP server is configured: the mail stays in the
// outbox, which is what "once" is about here (the outbox's own crash test covers sending).

#include "db/database.h"
#include "db/migrator.h"
#include "harness/server_process.h"

#include <csignal>
#include <filesystem>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <iostream>
#include <random>
#include <thread>

namespace teilhabe::testing {
namespace {

constexpr int kPeople = 3'000;
constexpr int kKills = 4;

struct TempDir {
    std::string path;
    TempDir() {
        std::string t = (std::filesystem::temp_directory_path() / "teilhabe-journey-crash-XXXXXX").string();
        path = mkdtemp(t.data()) ? t : "";
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

Result<std::unique_ptr<db::Database>> open_db(const std::string& url) {
    auto db = TRY(db::Database::open({.url = url, .pool_size = 2}));
    SystemClock clock;
    TRY(db::migrate(*db, clock));
    return db;
}

// People with a confirmed subscription, an active journey on "crash.go", and one such activity
// per person (as another system would post them).
Result<void> seed(db::Database& db) {
    return db.transaction(db::TxMode::Write, [](db::Connection& c) -> Result<void> {
        auto now = SystemClock().now_ms();
        TRY(c.execute("INSERT INTO topics (key, name_de, name_en, created_at) VALUES ('news', 'Neues', 'News', ?)", {now}));
        TRY(c.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) "
                      "INSERT INTO citizens (email, first_name, created_at, updated_at) "
                      "SELECT 'r' || i || '@example.org', 'P' || i, ?, ? FROM n",
                      {std::int64_t{kPeople}, now, now}));
        TRY(c.execute("INSERT INTO consents (citizen_id, subject, topic_id, status, consent_text_id, requested_at, "
                      "confirmed_at, updated_at) SELECT id, 'topic:news', (SELECT id FROM topics WHERE key = 'news'), "
                      "'confirmed', (SELECT MIN(id) FROM consent_texts), ?, ?, ? FROM citizens",
                      {now, now, now}));
        auto definition = R"({"trigger": {"type": "activity", "activity": "crash.go"}, "quiet_hours": false,
            "steps": [{"id": "mail", "type": "send_email", "subject": "Hallo {{first_name}}", "body": "Willkommen!"},
                      {"id": "tag", "type": "add_tag", "tag": "begruesst"}]})";
        TRY(c.execute("INSERT INTO journeys (name, definition, trigger_type, active, created_at, updated_at) VALUES "
                      "('Crash', ?, 'crash.go', TRUE, ?, ?)",
                      {std::string(definition), now, now}));
        TRY(c.execute("INSERT INTO activities (type, citizen_id, actor, occurred_at, recorded_at) "
                      "SELECT 'crash.go', id, 'system', ?, ? FROM citizens ORDER BY id",
                      {now, now}));
        return {};
    });
}

TEST(JourneyCrash, KilledServerRunsEveryStepOnceInEffect) {
    TempDir dir;
    ASSERT_FALSE(dir.path.empty());
    auto url = "sqlite:" + dir.path + "/town.db";
    auto db = open_db(url);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(seed(**db));
    auto scalar = [&](const std::string& sql) {
        return (*db)->transaction(db::TxMode::Read, [&](db::Connection& c) { return c.query_one(sql); })->get_int(0);
    };
    auto progress = [&] { return scalar("SELECT COUNT(*) FROM citizen_tags WHERE tag = 'begruesst'"); };
    std::mt19937 random(std::random_device{}());
    std::int64_t target = 0;
    for (int kill = 0; kill < kKills; ++kill) {
        auto server = ServerProcess::start(url, {{"TEILHABE_BASE_URL", "https://stadt.example"}});
        ASSERT_TRUE(server) << server.error().message;
        target += std::uniform_int_distribution<std::int64_t>(200, 600)(random);
        for (int i = 0; i < 6000 && progress() < target; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10)); // a process outside: real time
        ASSERT_GE(progress(), target) << server->process().output();
        ASSERT_TRUE(server->process().signal(SIGKILL));
        server->process().wait();
        std::cout << "kill " << kill + 1 << " after " << progress() << " people\n";
    }
    auto server = ServerProcess::start(url, {{"TEILHABE_BASE_URL", "https://stadt.example"}});
    ASSERT_TRUE(server) << server.error().message;
    for (int i = 0; i < 12000 && scalar("SELECT COUNT(*) FROM journey_enrolments WHERE state = 'done'") < kPeople; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(server->stop(), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments WHERE state = 'done'"), kPeople);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM journey_enrolments"), kPeople) << "each activity enrolled once";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox"), kPeople) << "each mail queued once";
    EXPECT_EQ(scalar("SELECT COUNT(DISTINCT citizen_id) FROM outbox"), kPeople);
    EXPECT_EQ(progress(), kPeople);
    EXPECT_EQ(scalar("SELECT SUM(entered) FROM journey_step_stats"), 2 * kPeople);
    EXPECT_EQ(scalar("SELECT SUM(done) FROM journey_step_stats"), 2 * kPeople);
}

} // namespace
} // namespace teilhabe::testing
