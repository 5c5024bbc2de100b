// Deliveries end to end on SQLite and PostgreSQL: the consumer queues, the worker sends through
// libcurl to a real HTTP receiver on loopback, which checks the signature. Retries run on the
// ManualClock (no waiting for back-off).

#include "activity/activity_store.h"
#include "db/test_support.h"
#include "gdpr/gdpr_store.h"
#include "jobs/job_store.h"
#include "webhooks/consumer.h"
#include "webhooks/curl_sender.h"
#include "webhooks/delivery.h"
#include "webhooks/test_receiver.h"
#include "webhooks/webhook_store.h"

#include <gtest/gtest.h>
#include <map>
#include <thread>

namespace teilhabe::webhooks {
namespace {

using namespace std::chrono_literals;
using testing::openssl_signature;
using testing::TestReceiver;

class DeliveryTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        anna = add_citizen("anna@musterstadt.example");
        bob = add_citizen("bob@musterstadt.example");
        worker =
            std::make_unique<jobs::Worker>(db(), clock, jobs::WorkerOptions{.worker_id = "w1"});
        ASSERT_TRUE(register_handlers(*worker, db(), clock, sender).has_value());
    }
    db::Database& db() { return *m_t->db; }

    std::int64_t add_citizen(const std::string& email) {
        auto r = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return c.query_one("INSERT INTO citizens (email, created_at, updated_at) VALUES (?, 0, "
                               "0) RETURNING id",
                               {email});
        });
        EXPECT_TRUE(r.has_value()) << r.error().message;
        return r ? r->get_int(0) : 0;
    }
    Created add_webhook(const std::string& url, std::vector<std::string> types = {}) {
        WebhookInput in{.url = url, .event_types = std::move(types)};
        auto r = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return store::create(c, in, {"staff:1", "192.0.2.1"}, clock);
        });
        EXPECT_TRUE(r.has_value()) << r.error().message;
        return r.value_or(Created{});
    }
    activity::Activity record(const std::string& type, std::optional<std::int64_t> citizen) {
        auto r = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return activity::append(c,
                                    {.type = type,
                                     .citizen_id = citizen,
                                     .actor = "apikey:1",
                                     .object = "book:4711",
                                     .props = R"({"branch":"Mitte"})"},
                                    clock);
        });
        EXPECT_TRUE(r.has_value()) << r.error().message;
        return r.value_or(activity::Activity{});
    }
    // On PostgreSQL the consumer sees only rows older than the oldest transaction still open in
    // the whole cluster, and other tests run in parallel on it (see activity_test.cpp): wait for
    // progress, boundedly.
    int consume(activity::Consumer& consumer) {
        auto deadline = std::chrono::steady_clock::now() + 10s;
        for (;;) {
            auto n = activity::run_consumer_once(db(), consumer, clock);
            EXPECT_TRUE(n.has_value()) << n.error().message;
            if (!n || *n != 0 || std::chrono::steady_clock::now() > deadline)
                return n.value_or(0);
            std::this_thread::sleep_for(5ms); // waiting on other processes' transactions
        }
    }
    // Until the consumer can see `n` activities (PostgreSQL, as above).
    void wait_visible(std::size_t n) {
        auto deadline = std::chrono::steady_clock::now() + 10s;
        for (;;) {
            auto lease = db().acquire().value();
            auto rows = activity::read_after(*lease, {}, 100);
            if ((rows && rows->size() >= n) || std::chrono::steady_clock::now() > deadline)
                return;
            std::this_thread::sleep_for(5ms); // waiting on other processes' transactions
        }
    }
    int consume() {
        DeliveryConsumer consumer(clock);
        return consume(consumer);
    }
    int run_jobs() { return worker->run_until_idle().value_or(-1); }
    std::int64_t count(const std::string& sql, const db::Params& params = {}) {
        auto r = db().acquire().value()->query_one(sql, params);
        EXPECT_TRUE(r.has_value()) << sql << ": " << r.error().message;
        return r ? r->get_int(0) : -1;
    }
    Delivery delivery_of(std::int64_t webhook_id) {
        auto lease = db().acquire().value();
        auto list = store::recent_deliveries(*lease, webhook_id, std::nullopt, 10);
        EXPECT_TRUE(list.has_value() && list->size() == 1u);
        return list && !list->empty() ? list->front() : Delivery{};
    }
    // The receiver's check: the signature over "id.timestamp.body" with the secret.
    static void expect_signed(const TestReceiver::Received& r, const std::string& secret) {
        auto id = r.header("webhook-id");
        auto ts = r.header("webhook-timestamp");
        EXPECT_FALSE(id.empty());
        EXPECT_EQ(r.header("webhook-signature"),
                  openssl_signature(secret, id + "." + ts + "." + r.body));
    }

    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock clock;
    CurlSender sender{{.timeout = 2s}};
    std::unique_ptr<jobs::Worker> worker;
    TestReceiver receiver;
    std::int64_t anna{0}, bob{0};
};

TEST_P(DeliveryTest, SignedPostArrivesWithIdsOnlyAndIsRecorded) {
    auto hook = add_webhook(receiver.url());
    auto a = record("library.loan", anna);
    EXPECT_EQ(consume(), 1);
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook.deliver' AND state = 'queued'"), 1);
    EXPECT_GE(run_jobs(), 1);

    auto got = receiver.received();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].path, "/hook");
    EXPECT_EQ(got[0].header("content-type"), "application/json");
    EXPECT_EQ(got[0].header("webhook-timestamp"), std::to_string(clock.now_ms() / 1000));
    expect_signed(got[0], hook.secret);
    auto body = nlohmann::json::parse(got[0].body);
    EXPECT_EQ(body["id"], a.id);
    EXPECT_EQ(body["type"], "library.loan");
    EXPECT_EQ(body["citizen_id"], anna);
    EXPECT_EQ(body["data"]["branch"], "Mitte");
    EXPECT_EQ(got[0].body.find("anna@"), std::string::npos) << "no e-mail addresses leave";

    auto d = delivery_of(hook.webhook.id);
    EXPECT_EQ(got[0].header("webhook-id"), "msg_" + std::to_string(d.id));
    EXPECT_EQ(d.status, DeliveryStatus::Delivered);
    EXPECT_EQ(d.attempts, 1);
    EXPECT_EQ(d.response_status, 200);
    ASSERT_EQ(d.history.size(), 1u);
    EXPECT_EQ(d.history[0].response_status, 200);
}

TEST_P(DeliveryTest, ServerErrorsAreRetriedWithBackoffUntilDelivered) {
    auto hook = add_webhook(receiver.url());
    receiver.answer_with({500, 503});
    record("library.loan", anna);
    consume();
    run_jobs();
    EXPECT_EQ(receiver.received().size(), 1u);
    auto d = delivery_of(hook.webhook.id);
    EXPECT_EQ(d.status, DeliveryStatus::Pending);
    EXPECT_EQ(d.last_error, "HTTP 500");
    run_jobs();
    EXPECT_EQ(receiver.received().size(), 1u) << "backing off, not hammering";
    clock.advance(jobs::backoff(1));
    run_jobs();
    clock.advance(jobs::backoff(2));
    run_jobs();

    auto got = receiver.received();
    ASSERT_EQ(got.size(), 3u);
    for (const auto& r : got) {
        EXPECT_EQ(r.header("webhook-id"), got[0].header("webhook-id")) << "one message, retried";
        expect_signed(r, hook.secret); // each attempt signed at its own time
    }
    EXPECT_NE(got[0].header("webhook-timestamp"), got[2].header("webhook-timestamp"));
    d = delivery_of(hook.webhook.id);
    EXPECT_EQ(d.status, DeliveryStatus::Delivered);
    EXPECT_EQ(d.attempts, 3);
    EXPECT_TRUE(d.last_error.empty());
    ASSERT_EQ(d.history.size(), 3u);
    EXPECT_EQ(d.history[0].response_status, 500);
    EXPECT_EQ(d.history[1].response_status, 503);
    EXPECT_EQ(d.history[2].response_status, 200);
}

TEST_P(DeliveryTest, AfterTheLastAttemptTheDeliveryHasFailed) {
    auto hook = add_webhook(receiver.url());
    receiver.answer_with(std::vector<int>(kMaxAttempts + 1, 500));
    record("library.loan", anna);
    consume();
    for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
        run_jobs();
        clock.advance(jobs::backoff(attempt));
    }
    run_jobs();
    EXPECT_EQ(receiver.received().size(), static_cast<std::size_t>(kMaxAttempts));
    auto d = delivery_of(hook.webhook.id);
    EXPECT_EQ(d.status, DeliveryStatus::Failed);
    EXPECT_EQ(d.attempts, kMaxAttempts);
    EXPECT_EQ(d.last_error, "HTTP 500");
    EXPECT_TRUE(d.finished_at.has_value());
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook.deliver' AND state = 'failed'"), 1);
}

TEST_P(DeliveryTest, RedirectsAreNotFollowedAndSilenceTimesOut) {
    auto hook = add_webhook(receiver.url());
    receiver.answer_with({302});
    record("library.loan", anna);
    consume();
    run_jobs();
    ASSERT_EQ(receiver.received().size(), 1u) << "/moved must not be asked";
    auto d = delivery_of(hook.webhook.id);
    EXPECT_EQ(d.response_status, 302);
    EXPECT_NE(d.last_error.find("redirects are not followed"), std::string::npos);

    // A receiver that does not answer: the attempt ends at the time limit (a real one, short).
    CurlSender impatient({.timeout = 300ms});
    jobs::Worker w2(db(), clock, {.worker_id = "w2"});
    w2.register_handler(std::string(kDeliverJob),
                        [&](const jobs::Job& job) { return deliver(db(), clock, impatient, job); });
    receiver.hold();
    clock.advance(jobs::backoff(1));
    EXPECT_EQ(w2.run_once().value_or(0), 1);
    receiver.release();
    d = delivery_of(hook.webhook.id);
    EXPECT_EQ(d.attempts, 2);
    EXPECT_FALSE(d.response_status.has_value());
    EXPECT_EQ(d.last_error, "no answer within 300 ms");
    EXPECT_EQ(d.status, DeliveryStatus::Pending);
}

TEST_P(DeliveryTest, FilterChoosesWhichActivitiesEachWebhookGets) {
    auto loans = add_webhook(receiver.url("/loans"), {"library.loan"});
    auto pool = add_webhook(receiver.url("/pool"), {"pool.*"});
    auto all = add_webhook(receiver.url("/all"));
    auto off = add_webhook(receiver.url("/off"));
    ASSERT_TRUE(db().transaction(db::TxMode::Write,
                                 [&](db::Connection& c) {
                                     return store::update(c, off.webhook.id, {.active = false},
                                                          {"staff:1", ""}, clock);
                                 })
                    .has_value());
    record("library.loan", anna);
    record("pool.visit", anna);
    record("pool.ticket.bought", bob);
    record("library.return", bob);
    int seen = 0;
    for (int i = 0; i < 4 && seen < 4; ++i)
        seen += consume();
    ASSERT_EQ(seen, 4);
    auto per = [&](const Created& h) {
        return count("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?",
                     {h.webhook.id});
    };
    EXPECT_EQ(per(loans), 1);
    EXPECT_EQ(per(pool), 2);
    EXPECT_EQ(per(all), 4);
    EXPECT_EQ(per(off), 0);
    run_jobs();
    std::map<std::string, int> paths;
    for (const auto& r : receiver.received())
        ++paths[r.path];
    EXPECT_EQ(paths, (std::map<std::string, int>{{"/all", 4}, {"/loans", 1}, {"/pool", 2}}));
}

// The consumer fails in the middle of a batch (as a crash would end it): the batch rolls back
// whole. Read again, and even read a second time from the start, nothing is doubled.
TEST_P(DeliveryTest, NothingDoublesAfterARolledBackBatchOrARereading) {
    struct CrashingConsumer : activity::Consumer {
        DeliveryConsumer inner;
        int handled{0};
        explicit CrashingConsumer(const Clock& c) : inner(c) {}
        std::string name() const override { return inner.name(); }
        void batch_begins() override { inner.batch_begins(); }
        Result<std::optional<std::vector<std::string>>> wanted_types(db::Connection& c) override {
            return inner.wanted_types(c);
        }
        Result<void> handle(db::Connection& c, const activity::Activity& a) override {
            if (++handled == 3)
                return fail(Error::unavailable("the process died here"));
            return inner.handle(c, a);
        }
    };
    add_webhook(receiver.url());
    for (int i = 0; i < 3; ++i)
        record("library.loan", anna);
    wait_visible(3); // all three in one batch, so that the third one's failure rolls back all
    CrashingConsumer crashing(clock);
    EXPECT_FALSE(activity::run_consumer_once(db(), crashing, clock).has_value());
    ASSERT_EQ(crashing.handled, 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook.deliver'"), 0);

    EXPECT_EQ(consume(), 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries"), 3);
    ASSERT_TRUE(
        db().transaction(db::TxMode::Write,
                         [](db::Connection& c) {
                             return c.execute(
                                 "UPDATE consumer_positions SET tx_order = 0, activity_id = "
                                 "0 WHERE consumer = 'webhooks'");
                         })
            .has_value());
    EXPECT_EQ(consume(), 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries"), 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook.deliver'"), 3);
    run_jobs();
    EXPECT_EQ(receiver.received().size(), 3u);
}

// GDPR Art. 18: a restricted person's activities are not sent, and a restriction that comes
// while a delivery waits stops it.
TEST_P(DeliveryTest, RestrictedPersonsGetNoWebhooks) {
    auto hook = add_webhook(receiver.url());
    auto restrict = [&](std::int64_t id) {
        ASSERT_TRUE(db().transaction(db::TxMode::Write,
                                     [&](db::Connection& c) {
                                         return gdpr::set_restriction(
                                             c, id, gdpr::Restriction::Restricted, "objection",
                                             {"staff:1", ""}, clock);
                                     })
                        .has_value());
    };
    restrict(bob);
    record("library.loan", bob);
    record("library.loan", anna);
    int seen = 0;
    for (int i = 0; i < 4 && seen < 3; ++i) // gdpr.restricted, and the two loans
        seen += consume();
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries WHERE citizen_id = ?", {bob}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries WHERE citizen_id = ?", {anna}), 1);
    restrict(anna); // after the delivery was queued, before it goes out
    run_jobs();
    EXPECT_TRUE(receiver.received().empty());
    auto lease = db().acquire().value();
    auto list = store::recent_deliveries(*lease, hook.webhook.id, std::nullopt, 10).value();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].status, DeliveryStatus::Cancelled);
    EXPECT_NE(list[0].last_error.find("Art. 18"), std::string::npos);
}

TEST_P(DeliveryTest, SwitchedOffDeletedOrErasedMeansNothingIsSent) {
    auto off = add_webhook(receiver.url("/off"));
    auto gone = add_webhook(receiver.url("/gone"));
    auto erased = add_webhook(receiver.url("/erased"), {"pool.visit"});
    record("library.loan", anna);
    record("pool.visit", bob);
    int seen = 0;
    for (int i = 0; i < 3 && seen < 2; ++i)
        seen += consume();
    ASSERT_TRUE(db().transaction(db::TxMode::Write,
                                 [&](db::Connection& c) -> Result<void> {
                                     TRY(store::update(c, off.webhook.id, {.active = false},
                                                       {"staff:1", ""}, clock));
                                     TRY(store::remove(c, gone.webhook.id, {"staff:1", ""}, clock));
                                     return gdpr::erase_person(c, bob, {"staff:1", ""}, clock);
                                 })
                    .has_value());
    run_jobs();
    EXPECT_TRUE(receiver.received().empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook.deliver' AND state <> 'done'"),
              0);
    // Anna's delivery to the switched-off webhook is cancelled; Bob's went with his erasure.
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'cancelled' AND "
                    "webhook_id = ?",
                    {off.webhook.id}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries WHERE citizen_id = ?", {bob}), 0);
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?", {erased.webhook.id}),
        0);
}

TEST_P(DeliveryTest, PingIsTriedOnceAndOldDeliveriesArePruned) {
    auto hook = add_webhook(receiver.url());
    receiver.answer_with({500});
    ASSERT_TRUE(db().transaction(db::TxMode::Write,
                                 [&](db::Connection& c) {
                                     return store::enqueue_ping(c, hook.webhook.id, clock);
                                 })
                    .has_value());
    run_jobs();
    clock.advance(24h);
    run_jobs();
    auto got = receiver.received();
    ASSERT_EQ(got.size(), 1u);
    expect_signed(got[0], hook.secret);
    EXPECT_EQ(nlohmann::json::parse(got[0].body)["type"], "webhook.ping");
    auto d = delivery_of(hook.webhook.id);
    EXPECT_EQ(d.status, DeliveryStatus::Failed);
    EXPECT_EQ(d.attempts, 1);

    record("library.loan", anna); // stays pending while the receiver is away
    receiver.answer_with({500});
    consume();
    run_jobs();
    clock.advance(kDeliveryRetention + 24h);
    EXPECT_EQ(prune_deliveries(db(), clock).value_or(-1), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_attempts"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::webhooks
