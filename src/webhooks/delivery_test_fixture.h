#pragma once
// The webhook delivery tests' fixture (delivery_test.cpp: sending; delivery_consumer_test.cpp:
// what the consumer queues): a fresh database per backend, a real HTTP receiver on loopback, the
// worker with libcurl, and the ManualClock for back-off.

#include "activity/activity_store.h"
#include "db/test_support.h"
#include "jobs/job_store.h"
#include "webhooks/consumer.h"
#include "webhooks/curl_sender.h"
#include "webhooks/delivery.h"
#include "webhooks/test_receiver.h"
#include "webhooks/webhook_store.h"

#include <gtest/gtest.h>
#include <thread>

namespace teilhabe::webhooks::testing {

using namespace std::chrono_literals;

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

} // namespace teilhabe::webhooks::testing
