// Redeeming offers and vouchers on both engines: one transaction for stock, limit, points and
// voucher; exactly one of many concurrent redemptions of a voucher wins.

#include "shop/test_fixture.h"
#include "shop/voucher_code.h"
#include "shop/voucher_store.h"

#include <atomic>
#include <latch>
#include <thread>

namespace teilhabe::shop::testing {
namespace {

class VoucherStore : public StoreTest {
protected:
    Result<Voucher> redeem(std::int64_t offer, std::int64_t citizen, const std::string& key) {
        return tx([&](db::Connection& c) {
            return store::redeem_offer(c, {offer, citizen, key, "apikey:1"}, clock);
        });
    }
};

TEST_P(VoucherStore, RedeemingMovesThePointsAndIssuesAVoucherInOneStep) {
    auto anna = add_citizen("anna@example.org");
    award(anna, 120);
    auto offer = add_offer(50, 3, 2);
    auto v = redeem(offer.id, anna, "k1");
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->status, "issued");
    EXPECT_TRUE(check_ok(v->code));
    EXPECT_EQ(balance(anna), 70);
    EXPECT_EQ(count("SELECT stock FROM offers WHERE id = ?", {offer.id}), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'voucher.issued' AND "
                    "citizen_id = ? AND object = ?",
                    {anna, fmt::format("voucher:{}", v->id)}),
              1);
    // The same key again: the same voucher, nothing booked twice.
    auto again = redeem(offer.id, anna, "k1");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->code, v->code);
    EXPECT_EQ(balance(anna), 70);
    // The same key for another request: refused.
    auto other = add_offer(10, std::nullopt, std::nullopt);
    auto clash = redeem(other.id, anna, "k1");
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().code, ErrorCode::AlreadyExists);
    expect_ledger_balanced();
}

TEST_P(VoucherStore, RefusesBeyondLimitStockPointsAndValidity) {
    auto anna = add_citizen("anna@example.org");
    auto ben = add_citizen("ben@example.org");
    award(anna, 1000);
    award(ben, 1000);
    auto limited = add_offer(10, 1, 1);
    ASSERT_TRUE(redeem(limited.id, anna, "a1"));
    auto limit = redeem(limited.id, anna, "a2");
    ASSERT_FALSE(limit);
    EXPECT_EQ(limit.error().code, ErrorCode::FailedPrecondition);
    auto sold = redeem(limited.id, ben, "b1");
    ASSERT_FALSE(sold);
    EXPECT_EQ(sold.error().code, ErrorCode::FailedPrecondition);
    EXPECT_NE(sold.error().message.find("sold out"), std::string::npos);

    auto dear = add_offer(5000, std::nullopt, std::nullopt);
    auto poor = redeem(dear.id, anna, "a3");
    ASSERT_FALSE(poor);
    EXPECT_EQ(poor.error().code, ErrorCode::FailedPrecondition);
    // Nothing of the refused redemption stays: no voucher, no stock change.
    EXPECT_EQ(count("SELECT COUNT(*) FROM vouchers WHERE offer_id = ?", {dear.id}), 0);

    auto expiring = add_offer(10, std::nullopt, std::nullopt);
    ASSERT_TRUE(tx([&](db::Connection& c) -> Result<Offer> {
        auto o = expiring;
        o.valid_until_ms = clock.now_ms() + 1000;
        return store::update_offer(c, o, 0);
    }));
    clock.advance(std::chrono::seconds(2));
    auto late = redeem(expiring.id, anna, "a4");
    ASSERT_FALSE(late);
    EXPECT_NE(late.error().message.find("expired"), std::string::npos);

    auto missing = redeem(999999, anna, "a5");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
    auto nobody = redeem(dear.id, 999999, "a6");
    ASSERT_FALSE(nobody);
    EXPECT_EQ(nobody.error().field, "citizen_id");
    expect_ledger_balanced();
}

TEST_P(VoucherStore, PartnerRedeemsOnceAndOnlyTheirOwn) {
    auto anna = add_citizen("anna@example.org");
    award(anna, 100);
    auto pool = add_partner("Freibad");
    auto vhs = add_partner("VHS");
    auto offer = add_offer(10, std::nullopt, std::nullopt, pool);
    auto v = redeem(offer.id, anna, "k").value();
    auto as = [&](std::optional<std::int64_t> partner) {
        return tx([&](db::Connection& c) {
            return store::redeem_voucher(c, v.code, partner, "staff:9", clock);
        });
    };
    auto other = as(vhs);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, ErrorCode::PermissionDenied);
    auto first = as(pool);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->status, "redeemed");
    auto second = as(pool);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, ErrorCode::Conflict);
    auto unknown = tx([&](db::Connection& c) {
        return store::redeem_voucher(c, new_code(), pool, "staff:9", clock);
    });
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'voucher.redeemed'"), 1);
}

// A voucher is good until its offer's validity ends; after that the till refuses it with a
// readable reason, and it reads as expired (docs/decisions.md "Voucher expiry").
TEST_P(VoucherStore, AnExpiredVoucherIsRefusedAndReadsAsExpired) {
    auto anna = add_citizen("anna@example.org");
    award(anna, 100);
    auto pool = add_partner("Freibad");
    auto offer = add_offer(10, std::nullopt, std::nullopt, pool);
    auto until = clock.now_ms() + 86'400'000;
    ASSERT_TRUE(tx([&](db::Connection& c) -> Result<Offer> {
        auto o = offer;
        o.valid_until_ms = until;
        return store::update_offer(c, o, 0);
    }));
    auto early = redeem(offer.id, anna, "e1").value();
    auto late = redeem(offer.id, anna, "e2").value();
    EXPECT_EQ(early.valid_until_ms, until);
    EXPECT_FALSE(expired(early, clock.now_ms()));
    auto at_till = [&](const Voucher& v) {
        return tx([&](db::Connection& c) {
            return store::redeem_voucher(c, v.code, pool, "staff:9", clock);
        });
    };
    ASSERT_TRUE(at_till(early));

    clock.advance(std::chrono::hours(24)); // the moment the offer ends
    auto refused = at_till(late);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
    EXPECT_EQ(refused.error().field, store::kExpiredField);
    EXPECT_NE(refused.error().message.find("expired"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM vouchers WHERE id = ? AND status = 'issued'", {late.id}), 1);
    auto mine = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::vouchers_of(c, anna);
    }).value();
    ASSERT_EQ(mine.size(), 2u);
    auto now = clock.now_ms();
    EXPECT_EQ(effective_status(mine[0], now), "expired"); // newest first: `late`
    EXPECT_EQ(effective_status(mine[1], now), "redeemed"); // a redeemed one stays redeemed
    EXPECT_EQ(to_json(mine[0], now)["status"], "expired");
    EXPECT_EQ(balance(anna), 80);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'voucher.redeemed'"), 1);
}

TEST_P(VoucherStore, CancellationRefundsByAReversalAndReturnsTheStock) {
    auto anna = add_citizen("anna@example.org");
    award(anna, 100);
    auto offer = add_offer(40, 5, std::nullopt);
    auto v = redeem(offer.id, anna, "k").value();
    EXPECT_EQ(balance(anna), 60);
    auto cancelled = tx([&](db::Connection& c) {
        return store::cancel_voucher(c, v.id, "staff:2", clock);
    });
    ASSERT_TRUE(cancelled) << cancelled.error().message;
    EXPECT_EQ(cancelled->status, "cancelled");
    EXPECT_EQ(balance(anna), 100);
    EXPECT_EQ(count("SELECT stock FROM offers WHERE id = ?", {offer.id}), 5);
    auto reversal = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return ledger::find_by_key(c, fmt::format("shop.cancel:{}", v.id));
    });
    ASSERT_TRUE(reversal && *reversal);
    EXPECT_EQ((*reversal)->reverses, v.transfer_id);
    // Neither cancelled twice nor redeemed afterwards.
    auto twice = tx([&](db::Connection& c) { return store::cancel_voucher(c, v.id, "staff:2", clock); });
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, ErrorCode::Conflict);
    auto redeemed = tx([&](db::Connection& c) {
        return store::redeem_voucher(c, v.code, std::nullopt, "staff:9", clock);
    });
    ASSERT_FALSE(redeemed);
    EXPECT_EQ(redeemed.error().code, ErrorCode::Conflict);
    expect_ledger_balanced();
}

// 64 tills redeem the same voucher at once, 100 times over: exactly one wins each time. Every
// thread holds its own connection (the pool has one per thread).
class VoucherRace : public VoucherStore {
protected:
    void SetUp() override { open(kThreads + 2); }
    static constexpr int kThreads = 64;
};

TEST_P(VoucherRace, SixtyFourConcurrentRedemptionsGiveExactlyOneSuccess) {
    auto anna = add_citizen("anna@example.org");
    constexpr int kRounds = 100;
    award(anna, kRounds);
    auto offer = add_offer(1, std::nullopt, std::nullopt);
    for (int round = 0; round < kRounds; ++round) {
        auto v = redeem(offer.id, anna, fmt::format("round{}", round));
        ASSERT_TRUE(v) << v.error().message;
        std::atomic<int> ok{0}, conflict{0}, other{0};
        std::latch start(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                auto r = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
                    return store::redeem_voucher(c, v->code, std::nullopt,
                                                 fmt::format("apikey:{}", t), clock);
                });
                if (r)
                    ++ok;
                else if (r.error().code == ErrorCode::Conflict)
                    ++conflict;
                else
                    ++other;
            });
        for (auto& th : threads)
            th.join();
        ASSERT_EQ(ok.load(), 1) << "round " << round;
        ASSERT_EQ(conflict.load(), kThreads - 1) << "round " << round;
        ASSERT_EQ(other.load(), 0) << "round " << round;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM vouchers WHERE status = 'redeemed'"), kRounds);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'voucher.redeemed'"), kRounds);
}

INSTANTIATE_TEST_SUITE_P(Engines, VoucherStore, ::testing::ValuesIn(db::testing::backends()),
                         backend_label);
INSTANTIATE_TEST_SUITE_P(Engines, VoucherRace, ::testing::ValuesIn(db::testing::backends()),
                         backend_label);

} // namespace
} // namespace teilhabe::shop::testing
