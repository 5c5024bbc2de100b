// Issue 4's crash test: `teilhabe serve` is killed with SIGKILL at random moments while it
// sends 10,000 queued messages to a real SMTP server on loopback, and restarted each time.
// Afterwards every outbox row is terminal, every recipient received the message at least once,
// and the repeats are bounded by the messages in flight at the kills: a message is sent again
// only when the kill fell between the MTA's 250 and the commit that records it, at most one per
// SMTP connection per kill (connections x kills). Also `teilhabe bounce`'s exit codes.

#include "db/database.h"
#include "db/migrator.h"
#include "delivery/outbox_store.h"
#include "harness/server_process.h"
#include "harness/smtp_sink.h"

#include <csignal>
#include <filesystem>
#include <cstdlib>
#include <fmt/format.h>
#include <iostream>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <sstream>

namespace teilhabe::testing {
namespace {

constexpr int kRecipients = 10'000;
constexpr int kKills = 5;
constexpr int kConnections = 4;

struct TempDir {
    std::string path;
    TempDir() {
        std::string t = (std::filesystem::temp_directory_path() / "teilhabe-crash-XXXXXX").string();
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

TEST(DeliveryCrash, KilledServerSkipsNoRecipientAndRepeatsOnlyWhatWasInFlight) {
    TempDir dir;
    ASSERT_FALSE(dir.path.empty());
    auto url = "sqlite:" + dir.path + "/town.db";
    {
        auto db = open_db(url);
        ASSERT_TRUE(db) << db.error().message;
        SystemClock clock;
        auto filled = (*db)->transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
            for (int i = 0; i < kRecipients; ++i)
                TRY(delivery::outbox::enqueue_transactional(
                    c, fmt::format("r{}@example.org", i),
                    fmt::format("From: info@musterstadt.example\r\nTo: r{}@example.org\r\n"
                                "Subject: Nachricht {}\r\n\r\nHallo.\r\n",
                                i, i),
                    std::nullopt, clock));
            return {};
        });
        ASSERT_TRUE(filled) << filled.error().message;
    }
    auto sink = SmtpSink::start();
    ASSERT_TRUE(sink) << sink.error().message;
    std::vector<std::pair<std::string, std::string>> env = {
        {"TEILHABE_SMTP", sink->url()},
        {"TEILHABE_SMTP_CONNECTIONS", std::to_string(kConnections)},
        {"TEILHABE_SMTP_LEASE_SECONDS", "2"}, // rows of a killed instance come back soon
        {"TEILHABE_MAIL_FROM", "Stadt <info@musterstadt.example>"},
    };
    std::mt19937 random(std::random_device{}());
    std::size_t target = 0;
    for (int kill = 0; kill < kKills; ++kill) {
        auto server = ServerProcess::start(url, env);
        ASSERT_TRUE(server) << server.error().message;
        target += std::uniform_int_distribution<std::size_t>(600, 1500)(random);
        ASSERT_TRUE(sink->wait_for(target, std::chrono::seconds(30)))
            << "only " << sink->count() << " of " << target << " arrived\n"
            << server->process().output();
        ASSERT_TRUE(server->process().signal(SIGKILL));
        server->process().wait();
    }
    auto server = ServerProcess::start(url, env);
    ASSERT_TRUE(server) << server.error().message;
    auto db = open_db(url);
    ASSERT_TRUE(db);
    auto open_rows = [&] {
        return (*db)->transaction(db::TxMode::Read, [](db::Connection& c) {
            return c.query_one("SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'claimed')");
        })->get_int(0);
    };
    ASSERT_TRUE(sink->wait_for(kRecipients, std::chrono::seconds(40))) << sink->count();
    for (int i = 0; i < 400 && open_rows() > 0; ++i)
        sink->wait_for(kRecipients * 2, std::chrono::milliseconds(50)); // a bounded pause
    EXPECT_EQ(open_rows(), 0) << "every row ends in a terminal state";
    EXPECT_EQ(server->stop(), 0);

    auto sent = (*db)->transaction(db::TxMode::Read, [](db::Connection& c) {
        return c.query_one("SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND payload = ''");
    });
    EXPECT_EQ(sent->get_int(0), kRecipients);
    std::map<std::string, int> received;
    for (const auto& m : sink->messages())
        ++received[m.rcpt_to];
    for (int i = 0; i < kRecipients; ++i)
        ASSERT_GE(received[fmt::format("r{}@example.org", i)], 1) << "r" << i << " was skipped";
    int duplicates = 0;
    for (const auto& [to, n] : received)
        duplicates += n - 1;
    EXPECT_LE(duplicates, kConnections * kKills);
    std::cout << "crash test: " << kKills << " kills, " << duplicates << " repeated message(s)\n";
}

std::string read_dsn(const std::string& verp) {
    std::ifstream in(std::string(TEILHABE_SOURCE_DIR) + "/src/delivery/testdata/dsn_hard.eml");
    std::stringstream ss;
    ss << in.rdbuf();
    auto text = ss.str();
    text.replace(text.find("{verp}"), 6, verp);
    return text;
}

TEST(BounceCommand, HandlesReportsDropsGarbageAndAsksForARetryWithoutDatabase) {
    TempDir dir;
    auto url = "sqlite:" + dir.path + "/town.db";
    {
        auto db = open_db(url);
        ASSERT_TRUE(db) << db.error().message;
    }
    auto bounce = [&](const std::string& database, const std::string& input) {
        return run({.argv = {teilhabe_binary(), "bounce", "--recipient", "bounce+1-x@example.org"},
                    .env = {{"TEILHABE_DATABASE", database}},
                    .stdin_data = input});
    };
    auto ok = bounce(url, read_dsn("bounce+1-0000000000000000@musterstadt.example"));
    EXPECT_EQ(ok.exit_code, 0) << ok.output;
    auto db = open_db(url);
    auto suppressed = (*db)->transaction(db::TxMode::Read, [](db::Connection& c) {
        return c.query_one("SELECT COUNT(*) FROM suppressions WHERE reason = 'hard_bounce'");
    });
    EXPECT_EQ(suppressed->get_int(0), 1) << "by its Final-Recipient, though no row matched";
    auto garbage = bounce(url, "Subject: no report\r\n\r\nhello\r\n");
    EXPECT_EQ(garbage.exit_code, 0) << garbage.output;
    EXPECT_NE(garbage.output.find("no delivery status notification"), std::string::npos);
    auto down = bounce("postgresql://nobody@127.0.0.1:1/none", read_dsn("x@y"));
    EXPECT_EQ(down.exit_code, 75) << down.output;
}

} // namespace
} // namespace teilhabe::testing
