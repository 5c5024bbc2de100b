// The outbox table on both engines: enqueue, claim with a lease, results, campaign rows.

#include "delivery/outbox_store.h"
#include "delivery/test_support.h"

namespace teilhabe::delivery {
namespace {

using namespace std::chrono_literals;

class OutboxStoreTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t) << t.error().message;
        tdb = std::move(*t);
        anna = testing::add_citizen(db(), "anna@musterstadt.example", clock);
        bob = testing::add_citizen(db(), "bob@musterstadt.example", clock);
    }
    db::Database& db() { return *tdb->db; }
    template <class F> auto tx(F&& f) { return db().transaction(db::TxMode::Write, f); }
    OutboxRow row(std::int64_t id) {
        auto r = tx([&](db::Connection& c) { return outbox::find(c, id); });
        EXPECT_TRUE(r && *r);
        return r && *r ? **r : OutboxRow{};
    }
    std::unique_ptr<db::testing::TestDatabase> tdb;
    ManualClock clock;
    std::int64_t anna{0}, bob{0};
};

TEST_P(OutboxStoreTest, TransactionalRowIsQueuedWithItsMessageAndClearedWhenSent) {
    auto id = tx([&](db::Connection& c) {
        return outbox::enqueue_transactional(c, " Anna@Musterstadt.example", "Subject: Hi\r\n\r\nx",
                                             anna, clock);
    });
    ASSERT_TRUE(id) << id.error().message;
    auto r = row(*id);
    EXPECT_EQ(r.email, "anna@musterstadt.example");
    EXPECT_EQ(r.state, OutboxState::Queued);
    EXPECT_EQ(r.payload, "Subject: Hi\r\n\r\nx");
    auto claimed = tx([&](db::Connection& c) { return outbox::claim(c, "w1", 10, 60s, clock); });
    ASSERT_TRUE(claimed);
    ASSERT_EQ(claimed->size(), 1u);
    EXPECT_EQ((*claimed)[0].attempts, 1);
    SmtpReply ok{.code = 250, .enhanced = "2.0.0", .text = "Ok: queued as ABC", .queue_id = "ABC"};
    EXPECT_FALSE(*tx([&](db::Connection& c) { return outbox::mark_sent(c, *id, "w2", ok, clock); }))
        << "only the worker holding the claim records its result";
    EXPECT_TRUE(*tx([&](db::Connection& c) { return outbox::mark_sent(c, *id, "w1", ok, clock); }));
    r = row(*id);
    EXPECT_EQ(r.state, OutboxState::Sent);
    EXPECT_EQ(r.payload, "") << "a sent message's one-time tokens are not kept";
    EXPECT_EQ(r.smtp_code, 250);
    EXPECT_EQ(r.smtp_status, "2.0.0");
    EXPECT_EQ(r.queue_id, "ABC");
}

TEST_P(OutboxStoreTest, EnqueueRefusesWhatIsNoAddress) {
    auto id = tx([&](db::Connection& c) {
        return outbox::enqueue_transactional(c, "nobody", "x", std::nullopt, clock);
    });
    ASSERT_FALSE(id);
    EXPECT_EQ(id.error().code, ErrorCode::InvalidArgument);
}

TEST_P(OutboxStoreTest, ClaimsOnlyDueRowsAndTakesOverExpiredLeases) {
    auto id = tx([&](db::Connection& c) {
        return outbox::enqueue_transactional(c, "a@x.example", "m", std::nullopt, clock);
    });
    ASSERT_TRUE(id);
    auto first = tx([&](db::Connection& c) { return outbox::claim(c, "w1", 10, 60s, clock); });
    ASSERT_EQ(first->size(), 1u);
    auto again = tx([&](db::Connection& c) { return outbox::claim(c, "w2", 10, 60s, clock); });
    EXPECT_TRUE(again->empty()) << "a row under a live lease is not claimed twice";
    clock.advance(61s); // w1 died
    auto taken = tx([&](db::Connection& c) { return outbox::claim(c, "w2", 10, 60s, clock); });
    ASSERT_EQ(taken->size(), 1u);
    EXPECT_EQ((*taken)[0].attempts, 2);
    SmtpReply ok{.code = 250};
    EXPECT_FALSE(*tx([&](db::Connection& c) { return outbox::mark_sent(c, *id, "w1", ok, clock); }));
    EXPECT_TRUE(*tx([&](db::Connection& c) { return outbox::mark_sent(c, *id, "w2", ok, clock); }));
}

TEST_P(OutboxStoreTest, TemporaryFailuresBackOffThenFail) {
    auto id = tx([&](db::Connection& c) {
        return outbox::enqueue_transactional(c, "a@x.example", "m", std::nullopt, clock);
    });
    RetryPolicy policy{.max_attempts = 3};
    SmtpReply later{.code = 451, .enhanced = "4.7.1", .text = "try later"};
    for (int attempt = 1; attempt <= 3; ++attempt) {
        auto rows = tx([&](db::Connection& c) { return outbox::claim(c, "w", 10, 60s, clock); });
        ASSERT_EQ(rows->size(), 1u) << "attempt " << attempt;
        ASSERT_TRUE(*tx([&](db::Connection& c) {
            return outbox::retry_later(c, (*rows)[0], "w", later, policy, clock);
        }));
        if (attempt < 3) {
            auto r = row(*id);
            EXPECT_EQ(r.state, OutboxState::Queued);
            auto delay = r.due_at - clock.now();
            auto expected = retry_delay(policy, attempt, *id);
            EXPECT_EQ(delay, expected);
            EXPECT_GE(delay, std::chrono::minutes(1 << (attempt - 1)) * 8 / 10);
            EXPECT_TRUE(tx([&](db::Connection& c) { return outbox::claim(c, "w", 10, 60s, clock); })
                            ->empty())
                << "not before its time";
            clock.advance(std::chrono::hours(1));
        }
    }
    auto r = row(*id);
    EXPECT_EQ(r.state, OutboxState::Failed);
    EXPECT_NE(r.error.find("451 4.7.1"), std::string::npos) << r.error;
}

TEST_P(OutboxStoreTest, CampaignRecipientsAreQueuedOnceCountedAndCancelled) {
    std::vector<outbox::CampaignRecipient> people{{anna, "anna@musterstadt.example"},
                                                  {bob, "bob@musterstadt.example"}};
    auto added = tx([&](db::Connection& c) {
        return outbox::enqueue_campaign_recipients(c, 7, people, clock);
    });
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_EQ(*added, 2);
    auto again = tx([&](db::Connection& c) {
        return outbox::enqueue_campaign_recipients(c, 7, people, clock);
    });
    EXPECT_EQ(*again, 0) << "UNIQUE(campaign_id, citizen_id): a recipient is queued once";
    auto rows = tx([&](db::Connection& c) { return outbox::claim(c, "w", 1, 60s, clock); });
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].kind, OutboxKind::Campaign);
    EXPECT_EQ((*rows)[0].campaign_id, 7);
    auto cancelled = tx([&](db::Connection& c) { return outbox::cancel_campaign(c, 7, "stopped", clock); });
    EXPECT_EQ(*cancelled, 1) << "the claimed row is left to its sender";
    auto counts = tx([&](db::Connection& c) { return outbox::counts_by_state(c, 7); });
    EXPECT_EQ(*counts, (std::map<std::string, std::int64_t>{{"cancelled", 1}, {"claimed", 1}}));
}

TEST_P(OutboxStoreTest, HeldRowsGoBackWithoutCountingAnAttempt) {
    auto id = tx([&](db::Connection& c) {
        return outbox::enqueue_transactional(c, "a@x.example", "m", std::nullopt, clock);
    });
    auto rows = tx([&](db::Connection& c) { return outbox::claim(c, "w", 10, 60s, clock); });
    ASSERT_EQ(rows->size(), 1u);
    ASSERT_TRUE(*tx([&](db::Connection& c) {
        return outbox::release(c, *id, "w", clock.now() + 5min, clock);
    }));
    auto r = row(*id);
    EXPECT_EQ(r.state, OutboxState::Queued);
    EXPECT_EQ(r.attempts, 0);
    EXPECT_EQ(r.due_at, clock.now() + 5min);
    auto next = tx([&](db::Connection& c) { return outbox::next_due(c); });
    EXPECT_EQ(*next, clock.now() + 5min);
}

TEST_P(OutboxStoreTest, BouncedAfterSendingWhenTheReportComes) {
    auto id = tx([&](db::Connection& c) {
        return outbox::enqueue_transactional(c, "a@x.example", "m", std::nullopt, clock);
    });
    EXPECT_FALSE(*tx([&](db::Connection& c) { return outbox::mark_bounced(c, *id, "x", clock); }))
        << "a queued row was never handed over";
    tx([&](db::Connection& c) { return outbox::claim(c, "w", 10, 60s, clock); });
    tx([&](db::Connection& c) { return outbox::mark_sent(c, *id, "w", SmtpReply{.code = 250}, clock); });
    EXPECT_TRUE(*tx([&](db::Connection& c) { return outbox::mark_bounced(c, *id, "5.1.1", clock); }));
    EXPECT_EQ(row(*id).state, OutboxState::Bounced);
    auto last = tx([&](db::Connection& c) { return outbox::find_last_sent_to(c, "A@x.example"); });
    ASSERT_TRUE(last && *last);
    EXPECT_EQ((*last)->id, *id);
}

TEST_P(OutboxStoreTest, AnErasedCitizensRowsKeepTheirStateWithoutThePerson) {
    auto id = tx([&](db::Connection& c) {
        return outbox::enqueue_transactional(c, "anna@musterstadt.example", "m", anna, clock);
    });
    auto del = tx([&](db::Connection& c) {
        return c.execute("DELETE FROM citizens WHERE id = ?", {anna});
    });
    ASSERT_TRUE(del) << del.error().message;
    EXPECT_EQ(row(*id).citizen_id, std::nullopt) << "ON DELETE SET NULL";
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxStoreTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::delivery
