// Paying a Stadttaler balance back at the desk, on both engines: idempotent, never beyond the
// balance, one stadttaler.paid_out activity in the same transaction; and the erasure of a person
// refused while they still hold Stadttaler (money the town owes), allowed after the pay-out.

#include "gdpr/gdpr_store.h"
#include "shop/test_fixture.h"
#include "stadttaler/wallet_store.h"

#include <atomic>
#include <mutex>
#include <set>
#include <latch>
#include <thread>

namespace teilhabe::stadttaler {
namespace {

using shop::testing::StoreTest;

class PayOuts : public StoreTest {
protected:
    Result<store::PayOutDone> pay_out(std::int64_t citizen, std::optional<std::int64_t> cents,
                                      const std::string& key) {
        return tx([&](db::Connection& c) {
            return store::pay_out(c, {citizen, cents, key, "staff:2"}, clock);
        });
    }
    void top_up(std::int64_t citizen, std::int64_t cents) {
        static int n = 0;
        auto t = tx([&](db::Connection& c) {
            return store::top_up(c,
                                 {citizen, cents, store::TopUp::Source::Desk,
                                  "t" + std::to_string(++n), "staff:1"},
                                 Settings{}, clock);
        });
        ASSERT_TRUE(t) << t.error().message;
    }
    Result<void> erase(std::int64_t citizen) {
        return tx([&](db::Connection& c) {
            return gdpr::erase_person(c, citizen, {"staff:1", ""}, clock);
        });
    }
    std::int64_t money(std::int64_t citizen) { return balance(citizen, ledger::Currency::Stadttaler); }
};

TEST_P(PayOuts, TheWholeBalanceIsPaidOutOnceWithAnActivity) {
    auto anna = add_citizen("anna@example.org");
    top_up(anna, 5'000);
    auto done = pay_out(anna, std::nullopt, "desk:1");
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(done->amount_cents, 5'000);
    EXPECT_EQ(done->balance_cents, 0);
    EXPECT_FALSE(done->replayed);
    EXPECT_EQ(money(anna), 0);
    // A second click on the same form: the same pay-out, nothing booked twice.
    auto again = pay_out(anna, std::nullopt, "desk:1");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(again->id, done->id);
    EXPECT_EQ(again->amount_cents, 5'000);
    // The same key for another amount or person: refused.
    auto clash = pay_out(anna, 100, "desk:1");
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().code, ErrorCode::AlreadyExists);
    auto other = add_citizen("ben@example.org");
    top_up(other, 700);
    auto wrong_person = pay_out(other, std::nullopt, "desk:1");
    ASSERT_FALSE(wrong_person);
    EXPECT_EQ(wrong_person.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(money(other), 700);
    // The transfer went to the town, and the timeline says so once.
    EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'payout'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'stadttaler.paid_out' AND "
                    "citizen_id = ?",
                    {anna}),
              1);
    // The receipt reads the ledger's transfer; a top-up's transfer is no pay-out.
    auto receipt = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::find_pay_out(c, done->id);
    });
    ASSERT_TRUE(receipt && *receipt);
    EXPECT_EQ((*receipt)->citizen_id, anna);
    EXPECT_EQ((*receipt)->amount_cents, 5'000);
    EXPECT_EQ((*receipt)->created_by, "staff:2");
    auto top_up_transfer = count("SELECT MIN(id) FROM ledger_transfers WHERE kind = 'topup'");
    auto not_a_payout = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::find_pay_out(c, top_up_transfer);
    });
    ASSERT_TRUE(not_a_payout);
    EXPECT_FALSE(*not_a_payout);
    expect_ledger_balanced();
}

TEST_P(PayOuts, AGivenAmountNeverBeyondTheBalance) {
    auto anna = add_citizen("anna@example.org");
    auto empty = pay_out(anna, std::nullopt, "k0");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(empty.error().field, store::kPayOutAmountField);
    top_up(anna, 5'000);
    auto more = pay_out(anna, 5'001, "k1");
    ASSERT_FALSE(more);
    EXPECT_EQ(more.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(more.error().field, "amount_cents");
    auto zero = pay_out(anna, 0, "k2");
    ASSERT_FALSE(zero);
    EXPECT_EQ(zero.error().code, ErrorCode::InvalidArgument);
    auto nobody = pay_out(anna + 1000, 100, "k3");
    ASSERT_FALSE(nobody);
    EXPECT_EQ(nobody.error().field, "citizen_id");
    auto part = pay_out(anna, 2'000, "k4");
    ASSERT_TRUE(part) << part.error().message;
    EXPECT_EQ(part->balance_cents, 3'000);
    EXPECT_EQ(money(anna), 3'000);
    // A refused pay-out did not use up its key.
    auto retried = pay_out(anna, 1'000, "k1");
    ASSERT_TRUE(retried) << retried.error().message;
    EXPECT_EQ(money(anna), 2'000);
    expect_ledger_balanced();
}

TEST_P(PayOuts, ErasureIsRefusedWhileStadttalerAreLeftAndAllowedAfterThePayOut) {
    auto anna = add_citizen("anna@example.org");
    top_up(anna, 1'250);
    award(anna, 40); // points are no money: they do not hold the erasure up
    auto refused = erase(anna);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
    EXPECT_EQ(refused.error().field, gdpr::kStadttalerOwedField);
    EXPECT_NE(refused.error().message.find("12,50 €"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("/api/v1/stadttaler/payouts"), std::string::npos);
    // Nothing of the erasure happened: the person, the wallet and the balance are there.
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens WHERE id = ?", {anna}), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM stadttaler_wallets WHERE citizen_id = ?", {anna}), 1);
    EXPECT_EQ(money(anna), 1'250);
    auto paid = pay_out(anna, std::nullopt, "desk:before-erasure");
    ASSERT_TRUE(paid) << paid.error().message;
    auto erased = erase(anna);
    ASSERT_TRUE(erased) << erased.error().message;
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens WHERE id = ?", {anna}), 0);
    // No money is left on an erased account; the receipt still reads (without the person).
    EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_accounts WHERE owner = 'erased' AND currency = "
                    "'stadttaler' AND balance <> 0"),
              0);
    auto receipt = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::find_pay_out(c, paid->id);
    });
    ASSERT_TRUE(receipt && *receipt) << (receipt ? "" : receipt.error().message);
    EXPECT_EQ((*receipt)->amount_cents, 1'250);
    EXPECT_EQ((*receipt)->citizen_id, 0);
    expect_ledger_balanced();
}

TEST_P(PayOuts, APersonWithoutAWalletIsErasedAsBefore) {
    auto ben = add_citizen("ben@example.org");
    auto owed = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return gdpr::stadttaler_owed(c, ben);
    });
    ASSERT_TRUE(owed);
    EXPECT_EQ(*owed, 0);
    auto erased = erase(ben);
    ASSERT_TRUE(erased) << erased.error().message;
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens WHERE id = ?", {ben}), 0);
}

// Pay-outs of "the whole balance" at once, on their own connections: 32 double clicks (one key)
// book one pay-out and answer the rest with it; 32 different desks (own keys) pay out once and
// the others find nothing left. The wallet never goes below zero.
class PayOutRace : public PayOuts {
protected:
    void SetUp() override { open(kThreads + 2); }
    static constexpr int kThreads = 32;

    struct Outcome {
        int booked{0}, replayed{0}, nothing_left{0}, other{0};
        std::set<std::int64_t> ids;
    };
    Outcome race(std::int64_t citizen, bool one_key) {
        std::mutex m;
        Outcome out;
        std::latch start(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                auto r = pay_out(citizen, std::nullopt,
                                 one_key ? std::string("desk:click") : "desk:" + std::to_string(t));
                std::lock_guard lock(m);
                if (r && r->replayed)
                    ++out.replayed;
                else if (r)
                    ++out.booked;
                else if (r.error().code == ErrorCode::FailedPrecondition)
                    ++out.nothing_left;
                else
                    ++out.other;
                if (r)
                    out.ids.insert(r->id);
            });
        for (auto& th : threads)
            th.join();
        return out;
    }
};

TEST_P(PayOutRace, ConcurrentPayOutsOfTheWholeBalanceBookItOnce) {
    auto anna = add_citizen("anna@example.org");
    top_up(anna, 3'000);
    auto clicks = race(anna, true);
    EXPECT_EQ(clicks.booked, 1);
    EXPECT_EQ(clicks.replayed, kThreads - 1);
    EXPECT_EQ(clicks.other, 0);
    EXPECT_EQ(clicks.ids.size(), 1u);
    EXPECT_EQ(money(anna), 0);
    top_up(anna, 2'000);
    auto desks = race(anna, false);
    EXPECT_EQ(desks.booked, 1);
    EXPECT_EQ(desks.nothing_left, kThreads - 1);
    EXPECT_EQ(desks.other, 0);
    EXPECT_EQ(money(anna), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'payout'"), 2);
    EXPECT_EQ(count("SELECT COALESCE(SUM(amount), 0) FROM ledger_transfers WHERE kind = 'payout'"),
              5'000);
    expect_ledger_balanced();
}

INSTANTIATE_TEST_SUITE_P(Engines, PayOuts, ::testing::ValuesIn(db::testing::backends()),
                         shop::testing::backend_label);
INSTANTIATE_TEST_SUITE_P(Engines, PayOutRace, ::testing::ValuesIn(db::testing::backends()),
                         shop::testing::backend_label);

} // namespace
} // namespace teilhabe::stadttaler
