// Issue 4's crash test for a campaign: `teilhabe serve` sends a campaign to 10,000 confirmed
// subscribers through a real SMTP server on loopback and is killed with SIGKILL at random
// moments, five times, restarted each time. Afterwards every recipient received the campaign
// at least once, the repeats are bounded by the messages in flight at the kills (one per SMTP
// connection per kill: sent between the MTA's 250 and the commit that records it), and the
// campaign is finished with a report that counts every recipient as sent.
//
// The campaign is started through the API (POST /api/v1/campaigns/{id}/send), so its outbox rows
// are made by the server as in production; the people and their consents are bulk SQL.

#include "db/database.h"
#include "db/migrator.h"
#include "harness/http_client.h"
#include "harness/server_process.h"
#include "harness/smtp_sink.h"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

namespace teilhabe::testing {
namespace {

constexpr int kRecipients = 10'000;
constexpr int kKills = 5;
constexpr int kConnections = 4;

struct TempDir {
    std::string path;
    TempDir() {
        std::string t = (std::filesystem::temp_directory_path() / "teilhabe-campaign-crash-XXXXXX").string();
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

// A topic, kRecipients people r0..r{N-1}@example.org with a confirmed consent to it, and a
// draft campaign to the topic. Returns the campaign's id.
Result<std::int64_t> seed(db::Database& db) {
    return db.transaction(db::TxMode::Write, [](db::Connection& c) -> Result<std::int64_t> {
        SystemClock clock;
        auto now = clock.now_ms();
        TRY(c.execute("INSERT INTO topics (key, name_de, name_en, created_at) VALUES ('abfall', 'Abfall', 'Waste', ?)",
                   {now}));
        auto topic = TRY(c.query_one("SELECT id FROM topics WHERE key = 'abfall'")).get_int(0);
        TRY(c.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) "
                   "INSERT INTO citizens (email, first_name, created_at, updated_at) "
                   "SELECT 'r' || i || '@example.org', 'P' || i, ?, ? FROM n",
                   {std::int64_t{kRecipients}, now, now}));
        TRY(c.execute("INSERT INTO consents (citizen_id, subject, topic_id, status, consent_text_id, requested_at, "
                   "confirmed_at, updated_at) SELECT id, ?, ?, 'confirmed', (SELECT id FROM consent_texts WHERE "
                   "kind = 'newsletter' AND version = 1), ?, ?, ? FROM citizens",
                   {fmt::format("topic:{}", topic), topic, now, now, now}));
        TRY(c.execute("INSERT INTO campaigns (name, subject, body, created_by, created_at, updated_at) VALUES "
                   "('Abfuhrkalender', 'Hallo {{first_name}}', 'Der **neue** Abfuhrkalender ist da.', 'test', ?, ?)",
                   {now, now}));
        auto id = TRY(c.query_one("SELECT MAX(id) FROM campaigns")).get_int(0);
        TRY(c.execute("INSERT INTO campaign_topics (campaign_id, topic_id, position) VALUES (?, ?, 0)", {id, topic}));
        return id;
    });
}

std::string api_key(const std::string& url) {
    auto made = run({.argv = {teilhabe_binary(), "apikey", "create", "--name", "crash", "--role", "editor"},
                     .env = {{"TEILHABE_DATABASE", url}}});
    EXPECT_EQ(made.exit_code, 0) << made.output;
    auto text = made.output;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text.substr(text.rfind('\n') + 1);
}

TEST(CampaignCrash, KilledServerSkipsNoRecipientAndRepeatsOnlyWhatWasInFlight) {
    TempDir dir;
    ASSERT_FALSE(dir.path.empty());
    auto url = "sqlite:" + dir.path + "/town.db";
    std::int64_t campaign = 0;
    {
        auto db = open_db(url);
        ASSERT_TRUE(db) << db.error().message;
        auto id = seed(**db);
        ASSERT_TRUE(id) << id.error().message;
        campaign = *id;
    }
    auto key = api_key(url);
    ASSERT_FALSE(key.empty());
    auto sink = SmtpSink::start();
    ASSERT_TRUE(sink) << sink.error().message;
    std::vector<std::pair<std::string, std::string>> env = {
        {"TEILHABE_SMTP", sink->url()},
        {"TEILHABE_SMTP_CONNECTIONS", std::to_string(kConnections)},
        {"TEILHABE_SMTP_LEASE_SECONDS", "2"}, // rows of a killed instance come back soon
        {"TEILHABE_MAIL_FROM", "Stadt Musterstadt <info@musterstadt.example>"},
        {"TEILHABE_BASE_URL", "https://stadt.example"},
    };
    auto report = [&](int port) {
        return http(port, {.target = fmt::format("/api/v1/campaigns/{}/report", campaign),
                           .headers = {{"Authorization", "Bearer " + key}}});
    };

    auto began = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - began).count();
    };
    std::mt19937 random(std::random_device{}());
    std::size_t target = 0;
    for (int kill = 0; kill < kKills; ++kill) {
        auto server = ServerProcess::start(url, env);
        ASSERT_TRUE(server) << server.error().message;
        if (kill == 0) {
            auto sent = http(server->port(), {.method = "POST",
                                              .target = fmt::format("/api/v1/campaigns/{}/send", campaign),
                                              .headers = {{"Authorization", "Bearer " + key}}});
            ASSERT_EQ(sent.status, 202) << sent.body;
        }
        target += std::uniform_int_distribution<std::size_t>(600, 1500)(random);
        ASSERT_TRUE(sink->wait_for(target, std::chrono::seconds(60)))
            << "only " << sink->count() << " of " << target << " arrived\n"
            << server->process().output();
        ASSERT_TRUE(server->process().signal(SIGKILL));
        server->process().wait();
        std::cout << "kill " << kill + 1 << " after " << target << " messages, " << elapsed() << " s\n";
    }
    auto server = ServerProcess::start(url, env);
    ASSERT_TRUE(server) << server.error().message;
    auto db = open_db(url);
    ASSERT_TRUE(db);
    auto scalar = [&](const std::string& sql) {
        return (*db)->transaction(db::TxMode::Read, [&](db::Connection& c) { return c.query_one(sql); })->get_int(0);
    };
    ASSERT_TRUE(sink->wait_for(kRecipients, std::chrono::seconds(120))) << sink->count();
    std::cout << kRecipients << " messages at the sink after " << elapsed() << " s\n";
    for (int i = 0; i < 400 && scalar("SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'claimed')") > 0; ++i)
        sink->wait_for(kRecipients * 2, std::chrono::milliseconds(50)); // a bounded pause
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'claimed')"), 0)
        << "every recipient ends in a terminal state";
    // The campaign.watch job looks every 30 s whether all recipients are done; instead of
    // waiting for its turn the test brings it forward (and frees one a killed instance held).
    auto now = SystemClock().now_ms();
    auto moved = (*db)->transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        TRY(c.execute("UPDATE jobs SET due_at = ? WHERE kind = 'campaign.watch' AND state = 'queued'", {now}));
        TRY(c.execute("UPDATE jobs SET locked_until = ? WHERE kind = 'campaign.watch' AND state = 'running'", {now}));
        return {};
    });
    ASSERT_TRUE(moved) << moved.error().message;
    nlohmann::json r;
    for (int i = 0; i < 200; ++i) { // the worker looks for due jobs every 2 s
        auto got = report(server->port());
        ASSERT_EQ(got.status, 200) << got.body;
        r = nlohmann::json::parse(got.body);
        if (r["status"] == "finished")
            break;
        sink->wait_for(kRecipients * 2, std::chrono::milliseconds(50)); // a bounded pause
    }
    std::cout << "campaign " << r["status"].get<std::string>() << " after " << elapsed() << " s\n";
    EXPECT_EQ(r["status"], "finished") << r.dump();
    EXPECT_EQ(r["total"], kRecipients) << r.dump();
    EXPECT_EQ(r["sent"], kRecipients) << r.dump();
    EXPECT_EQ(r["queued"], 0) << r.dump() << " (queued and claimed)";
    EXPECT_EQ(r["bounced"], 0) << r.dump();
    EXPECT_EQ(r["cancelled"], 0) << r.dump();
    EXPECT_EQ(server->stop(), 0);

    std::cout << "server stopped after " << elapsed() << " s\n";
    auto stored = sink->messages(); // read once: 10,000 files and their sidecars
    std::cout << stored.size() << " stored messages read after " << elapsed() << " s\n";
    std::map<std::string, int> received;
    for (const auto& m : stored)
        ++received[m.rcpt_to];
    for (int i = 0; i < kRecipients; ++i)
        ASSERT_GE(received[fmt::format("r{}@example.org", i)], 1) << "r" << i << " was skipped";
    EXPECT_EQ(received.size(), static_cast<std::size_t>(kRecipients)) << "nobody else got it";
    int duplicates = 0;
    for (const auto& [to, n] : received)
        duplicates += n - 1;
    EXPECT_LE(duplicates, kConnections * kKills);
    // Each copy is the campaign, personalised for its recipient.
    ASSERT_FALSE(stored.empty());
    const auto& first = stored.front();
    auto number = first.rcpt_to.substr(1, first.rcpt_to.find('@') - 1);
    EXPECT_NE(first.header("Subject").find("P" + number), std::string::npos) << first.header("Subject");
    EXPECT_NE(first.header("List-Unsubscribe-Post").find("One-Click"), std::string::npos);
    std::cout << "campaign crash test: " << kKills << " kills, " << duplicates << " repeated message(s)\n";
}

} // namespace
} // namespace teilhabe::testing
