// What the webhooks consumer queues, on SQLite and PostgreSQL: which activities each
// subscription gets, that a rolled-back or re-read batch doubles nothing, and that restricted,
// erased, switched-off or deleted means nothing is sent (fixture: delivery_test_fixture.h).

#include "activity/consumer_testing.h"
#include "gdpr/gdpr_store.h"
#include "webhooks/delivery_test_fixture.h"

#include <map>

namespace teilhabe::webhooks {
namespace {

using namespace std::chrono_literals;
using testing::TestReceiver;

class DeliveryConsumerTest : public testing::DeliveryTest {};

TEST_P(DeliveryConsumerTest, FilterChoosesWhichActivitiesEachWebhookGets) {
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
TEST_P(DeliveryConsumerTest, NothingDoublesAfterARolledBackBatchOrARereading) {
    add_webhook(receiver.url());
    for (int i = 0; i < 3; ++i)
        record("library.loan", anna);
    wait_visible(3); // all three in one batch, so that the third one's failure rolls back all
    DeliveryConsumer inner(clock);
    activity::testing::FailingConsumer crashing(inner, 3);
    EXPECT_FALSE(activity::run_consumer_once(db(), crashing, clock).has_value());
    ASSERT_EQ(crashing.calls(), 3);
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
TEST_P(DeliveryConsumerTest, RestrictedPersonsGetNoWebhooks) {
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

TEST_P(DeliveryConsumerTest, SwitchedOffDeletedOrErasedMeansNothingIsSent) {
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

TEST_P(DeliveryConsumerTest, PingIsTriedOnceAndOldDeliveriesArePruned) {
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

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryConsumerTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::webhooks
