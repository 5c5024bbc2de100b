// The sender step by step (run_once, ManualClock) against a real SMTP server on loopback.

#include "delivery/outbox_store.h"
#include "delivery/sender.h"
#include "delivery/smtp_test_server.h"
#include "delivery/suppression_store.h"
#include "delivery/test_support.h"
#include "delivery/verp.h"
#include "delivery/wakeup.h"

#include <fmt/format.h>
#include <future>

namespace teilhabe::delivery {
namespace {

using namespace std::chrono_literals;
using testing::SmtpServerOptions;
using testing::SmtpTestServer;

// A campaign source for the tests: decides by the address.
class ScriptedSource final : public MessageSource {
public:
    explicit ScriptedSource(const Clock& clock) : m_clock(clock) {}
    Result<Produced> produce(const OutboxRow& row) override {
        if (row.email.starts_with("paused"))
            return Produced::hold(m_clock.now() + 10min, "campaign paused");
        if (row.email.starts_with("cancelled"))
            return Produced::skip(OutboxState::Cancelled, "campaign cancelled");
        if (row.email.starts_with("broken"))
            return fail(Error::internal("template missing"));
        return Produced::send(fmt::format("Subject: Kampagne {}\r\n\r\nHallo\r\n", *row.campaign_id));
    }

private:
    const Clock& m_clock;
};

class SenderTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t) << t.error().message;
        tdb = std::move(*t);
        server = std::make_unique<SmtpTestServer>(SmtpServerOptions{
            .replies = {"full@example.org=452 4.2.2 Mailbox full",
                        "gone@example.org=550 5.1.1 No such user"}});
        ASSERT_TRUE(server->ok());
    }
    std::unique_ptr<Sender> make_sender(SenderOptions o = {}) {
        o.worker_id = "test-1";
        o.verp_secret = "s3cret";
        o.bounce_domain = "musterstadt.example";
        auto settings = *parse_smtp_url(server->url());
        auto s = std::make_unique<Sender>(
            db(), clock, [settings] { return std::make_unique<SmtpClient>(settings); }, o);
        s->register_source(OutboxKind::Transactional, transactional);
        s->register_source(OutboxKind::Campaign, campaign);
        return s;
    }
    db::Database& db() { return *tdb->db; }
    template <class F> auto tx(F&& f) { return db().transaction(db::TxMode::Write, f); }
    std::int64_t queue(const std::string& to, const std::string& mime = "Subject: Hi\r\n\r\nx\r\n") {
        auto id = tx([&](db::Connection& c) {
            return outbox::enqueue_transactional(c, to, mime, std::nullopt, clock);
        });
        EXPECT_TRUE(id) << id.error().message;
        return id.value_or(0);
    }
    OutboxRow row(std::int64_t id) { return **tx([&](db::Connection& c) { return outbox::find(c, id); }); }

    std::unique_ptr<db::testing::TestDatabase> tdb;
    std::unique_ptr<SmtpTestServer> server;
    ManualClock clock;
    TransactionalSource transactional;
    ScriptedSource campaign{clock};
};

// Transactional mail queued unsigned (a journey's) is signed when it is sent; mail signed when
// it was queued is sent as it is, not signed twice.
TEST(TransactionalSource, SignsUnsignedMailAtSendTimeAndLeavesSignedMailAlone) {
    auto pair = mail::generate_dkim_key(1024);
    ASSERT_TRUE(pair) << pair.error().message;
    auto signer = mail::DkimSigner::from_pem(pair->private_pem, "musterstadt.example", "teilhabe");
    ASSERT_TRUE(signer) << signer.error().message;
    ManualClock clock(from_unix_ms(1'780'000'000'000));
    TransactionalSource source(std::make_shared<const mail::DkimSigner>(std::move(*signer)), clock);
    OutboxRow row;
    row.payload = "From: Stadt <info@musterstadt.example>\r\nTo: <anna@example.org>\r\nSubject: Hallo\r\n\r\nx\r\n";
    auto produced = source.produce(row);
    ASSERT_TRUE(produced) << produced.error().message;
    EXPECT_TRUE(produced->mime.starts_with("DKIM-Signature: v=1; a=rsa-sha256;")) << produced->mime;
    EXPECT_TRUE(produced->mime.ends_with(row.payload));
    EXPECT_NE(produced->mime.find("t=1780000000"), std::string::npos) << "signed at send time";
    OutboxRow signed_row;
    signed_row.payload = produced->mime;
    EXPECT_EQ(source.produce(signed_row)->mime, produced->mime);
    TransactionalSource unsigned_source;
    EXPECT_EQ(unsigned_source.produce(row)->mime, row.payload);
}

TEST_P(SenderTest, SendsTransactionalMailWithVerpSenderAndRecordsTheReply) {
    auto a = queue("anna@example.org", "Subject: Bestaetigen\r\n\r\nToken abc\r\n");
    auto b = queue("bob@example.org");
    auto sender = make_sender();
    auto n = sender->run_once();
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(*n, 2);
    auto got = server->received();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0]["to"][0], "anna@example.org");
    EXPECT_EQ(got[0]["data"], "Subject: Bestaetigen\r\n\r\nToken abc\r\n");
    EXPECT_EQ(got[0]["from"], verp_address(a, "s3cret", "musterstadt.example"));
    auto r = row(a);
    EXPECT_EQ(r.state, OutboxState::Sent);
    EXPECT_EQ(r.smtp_code, 250);
    EXPECT_EQ(r.queue_id, "Q1");
    EXPECT_EQ(r.payload, "") << "the one-time token is gone";
    EXPECT_EQ(row(b).state, OutboxState::Sent);
    EXPECT_EQ(*sender->run_once(), 0) << "nothing left";
}

TEST_P(SenderTest, TemporaryRefusalIsRetriedPermanentOneBouncesAndSuppresses) {
    auto full = queue("full@example.org");
    auto gone = queue("gone@example.org");
    auto sender = make_sender();
    ASSERT_TRUE(sender->run_once());
    auto f = row(full);
    EXPECT_EQ(f.state, OutboxState::Queued);
    EXPECT_EQ(f.smtp_code, 452);
    EXPECT_GT(f.due_at, clock.now());
    auto g = row(gone);
    EXPECT_EQ(g.state, OutboxState::Bounced);
    EXPECT_EQ(g.error, "550 5.1.1 No such user");
    EXPECT_TRUE(*tx([&](db::Connection& c) { return suppressions::is_suppressed(c, "gone@example.org"); }));
    // The next message to the bounced address is not even tried.
    auto again = queue("gone@example.org");
    clock.advance(2min);
    ASSERT_TRUE(sender->run_once());
    EXPECT_EQ(row(again).state, OutboxState::Suppressed);
    EXPECT_EQ(row(full).attempts, 2);
    EXPECT_TRUE(server->received().empty());
}

TEST_P(SenderTest, CampaignSourceHoldsSkipsAndFailsRows) {
    std::vector<outbox::CampaignRecipient> people;
    for (auto who : {"paused", "cancelled", "broken", "ok"}) {
        auto email = fmt::format("{}@example.org", who);
        people.push_back({testing::add_citizen(db(), email, clock), email});
    }
    ASSERT_TRUE(tx([&](db::Connection& c) {
        return outbox::enqueue_campaign_recipients(c, 9, people, clock);
    }));
    auto sender = make_sender();
    ASSERT_TRUE(sender->run_once());
    auto counts = *tx([&](db::Connection& c) { return outbox::counts_by_state(c, 9); });
    EXPECT_EQ(counts, (std::map<std::string, std::int64_t>{{"cancelled", 1}, {"queued", 2}, {"sent", 1}}));
    auto got = server->received();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0]["data"], "Subject: Kampagne 9\r\n\r\nHallo\r\n");
    auto paused = tx([&](db::Connection& c) {
        return c.query_one("SELECT attempts, due_at FROM outbox WHERE email = 'paused@example.org'");
    });
    EXPECT_EQ(paused->get_int(0), 0) << "holding is no attempt";
    EXPECT_EQ(paused->get_int(1), clock.now_ms() + 600'000);
}

TEST_P(SenderTest, RateLimitPerMinuteGivesTheRestBack) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i)
        ids.push_back(queue(fmt::format("p{}@example.org", i)));
    auto sender = make_sender({.rate_per_minute = 2});
    EXPECT_EQ(*sender->run_once(), 2);
    ASSERT_TRUE(sender->rate_limited_until());
    EXPECT_EQ(*sender->rate_limited_until(), clock.now() + 1min);
    EXPECT_EQ(server->received().size(), 2u);
    EXPECT_EQ(*sender->run_once(), 0) << "the rest waits for the next minute";
    clock.advance(1min);
    EXPECT_EQ(*sender->run_once(), 2);
    clock.advance(1min);
    EXPECT_EQ(*sender->run_until_idle(), 1);
    EXPECT_EQ(server->received().size(), 5u);
    for (auto id : ids) {
        EXPECT_EQ(row(id).state, OutboxState::Sent);
        EXPECT_EQ(row(id).attempts, 1) << "given back rows count no attempt";
    }
}

// A source that takes long: 40 s of the test clock per message.
class SlowSource final : public MessageSource {
public:
    explicit SlowSource(ManualClock& clock) : m_clock(clock) {}
    Result<Produced> produce(const OutboxRow& row) override {
        m_clock.advance(40s);
        return Produced::send(row.payload);
    }

private:
    ManualClock& m_clock;
};

TEST_P(SenderTest, AConnectionSendsOnlyDuringTheFirstHalfOfItsLease) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 3; ++i)
        ids.push_back(queue(fmt::format("s{}@example.org", i)));
    auto sender = make_sender({.lease = 60s});
    SlowSource slow(clock);
    sender->register_source(OutboxKind::Transactional, slow);
    ASSERT_TRUE(sender->run_once());
    EXPECT_EQ(server->received().size(), 1u);
    EXPECT_EQ(row(ids[0]).state, OutboxState::Sent);
    for (auto id : {ids[1], ids[2]}) {
        EXPECT_EQ(row(id).state, OutboxState::Queued) << "given back before its claim runs out";
        EXPECT_EQ(row(id).attempts, 0);
    }
}

TEST_P(SenderTest, AnUnreachableServerIsATemporaryFailure) {
    auto id = queue("anna@example.org");
    SmtpSettings nowhere{.host = "127.0.0.1", .port = 1, .timeout = 5s};
    Sender sender(db(), clock, [nowhere] { return std::make_unique<SmtpClient>(nowhere); },
                  {.worker_id = "w", .fallback_from = "info@musterstadt.example"});
    sender.register_source(OutboxKind::Transactional, transactional);
    ASSERT_TRUE(sender.run_once());
    auto r = row(id);
    EXPECT_EQ(r.state, OutboxState::Queued);
    EXPECT_FALSE(r.error.empty());
    EXPECT_EQ(r.smtp_code, std::nullopt);
}

// A transport that reports each message it is given, for the running sender's threads.
class SignallingTransport final : public SmtpTransport {
public:
    explicit SignallingTransport(std::promise<std::string>& sent) : m_sent(sent) {}
    SmtpReply send(const std::string&, const std::string& to, std::string_view) override {
        m_sent.set_value(to);
        return {.code = 250, .enhanced = "2.0.0", .text = "Ok"};
    }

private:
    std::promise<std::string>& m_sent;
};

TEST_P(SenderTest, AWakeupSendsANewRowAtOnceInsteadOfAtTheNextPoll) {
    std::promise<std::string> sent;
    auto got = sent.get_future();
    Sender sender(db(), clock, [&sent] { return std::make_unique<SignallingTransport>(sent); },
                  {.worker_id = "w",
                   .connections = 2,
                   .idle_poll = std::chrono::hours(1), // no poll within the test
                   .fallback_from = "info@musterstadt.example"});
    sender.register_source(OutboxKind::Transactional, transactional);
    Wakeup wakeup;
    wakeup.notify(); // not connected yet: nothing happens
    wakeup.connect([&sender] { sender.notify(); });
    sender.start(); // the connections find nothing and wait for the hour
    auto id = queue("anna@example.org"); // committed ...
    wakeup.notify();                     // ... then the sender is told
    ASSERT_EQ(got.wait_for(std::chrono::seconds(30)), std::future_status::ready)
        << "the row waited for the next poll";
    EXPECT_EQ(got.get(), "anna@example.org");
    wakeup.disconnect();
    sender.stop();
    EXPECT_EQ(row(id).state, OutboxState::Sent);
}

INSTANTIATE_TEST_SUITE_P(Backends, SenderTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::delivery
