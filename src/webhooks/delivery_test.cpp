// Deliveries end to end on SQLite and PostgreSQL: the consumer queues, the worker sends through
// libcurl to a real HTTP receiver on loopback, which checks the signature. Retries run on the
// ManualClock (no waiting for back-off).

#include "webhooks/delivery_test_fixture.h"

namespace teilhabe::webhooks {
namespace {

using testing::DeliveryTest;
using namespace std::chrono_literals;
using testing::TestReceiver;

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

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::webhooks
