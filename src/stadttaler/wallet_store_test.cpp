// The Stadttaler's store on both engines: top-ups within the wallet limit, idempotent by key,
// payments the person accepts, never beyond the balance even when 64 arrive at once, and
// settlements per partner and period.

#include "shop/test_fixture.h"
#include "shop/voucher_code.h"
#include "stadttaler/settlement_export.h"
#include "stadttaler/wallet_store.h"

#include <atomic>
#include <latch>
#include <thread>

namespace teilhabe::stadttaler {
namespace {

using shop::testing::StoreTest;
using Source = store::TopUp::Source;

class Wallets : public StoreTest {
protected:
    Result<store::TopUpDone> top_up(std::int64_t citizen, std::int64_t cents, const std::string& key,
                                    Source source = Source::Desk) {
        return tx([&](db::Connection& c) {
            return store::top_up(c, {citizen, cents, source, key, "staff:1"}, settings, clock);
        });
    }
    store::Wallet wallet(std::int64_t citizen) {
        auto w = tx([&](db::Connection& c) { return store::ensure_wallet(c, citizen, 0); });
        EXPECT_TRUE(w) << w.error().message;
        return w.value_or(store::Wallet{});
    }
    Result<store::PaymentRequest> ask(std::int64_t partner, const std::string& code,
                                      std::int64_t cents) {
        return tx([&](db::Connection& c) {
            return store::request_payment(c, partner, code, cents, "Einkauf", "staff:5",
                                          clock.now_ms());
        });
    }
    std::int64_t money(std::int64_t citizen) { return balance(citizen, ledger::Currency::Stadttaler); }
    Settings settings{.max_balance_cents = 20'000, .webhook_secret = "s"};
};

TEST_P(Wallets, AWalletHasOneStableReadableCode) {
    auto anna = add_citizen("anna@example.org");
    auto first = wallet(anna);
    EXPECT_TRUE(shop::check_ok(first.code));
    EXPECT_EQ(wallet(anna).code, first.code);
    auto found = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::find_wallet_by_code(c, first.code);
    });
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->citizen_id, anna);
}

TEST_P(Wallets, TopUpsAreIdempotentAndStayWithinTheLimit) {
    auto anna = add_citizen("anna@example.org");
    auto t = top_up(anna, 5'000, "desk-1");
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(t->balance_cents, 5'000);
    auto again = top_up(anna, 5'000, "desk-1");
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(again->id, t->id);
    EXPECT_EQ(money(anna), 5'000);
    auto clash = top_up(anna, 7'000, "desk-1");
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().code, ErrorCode::AlreadyExists);
    auto over = top_up(anna, 15'001, "desk-2");
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, ErrorCode::FailedPrecondition);
    EXPECT_TRUE(top_up(anna, 15'000, "desk-3"));
    EXPECT_EQ(money(anna), 20'000);
    // The provider's payment id is its own key space.
    auto provider = top_up(add_citizen("ben@example.org"), 1'000, "desk-1", Source::Provider);
    ASSERT_TRUE(provider) << provider.error().message;
    EXPECT_FALSE(provider->replayed);
    expect_ledger_balanced();
}

// A payment request waits settings.request_ttl_ms for the person; after that it is expired: not
// listed, not payable (Conflict naming expires_at), and the money stays.
TEST_P(Wallets, APaymentRequestExpiresAndCannotBeConfirmedAfterwards) {
    auto anna = add_citizen("anna@example.org");
    auto shop = add_partner("Eisdiele");
    ASSERT_TRUE(top_up(anna, 3'000, "k"));
    auto code = wallet(anna).code;
    const std::int64_t ttl = 15 * 60'000;
    auto r = tx([&](db::Connection& c) {
        return store::request_payment(c, shop, code, 500, "Eis", "staff:5", clock.now_ms(), ttl);
    });
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->expires_at_ms, clock.now_ms() + ttl);
    auto pending = [&] {
        return db().transaction(db::TxMode::Read, [&](db::Connection& c) {
            return store::pending_for(c, anna, clock.now_ms(), ttl);
        }).value();
    };
    clock.advance(std::chrono::minutes(14));
    EXPECT_EQ(pending().size(), 1u);

    clock.advance(std::chrono::minutes(1)); // 15 minutes: its time is up
    EXPECT_TRUE(pending().empty());
    auto late = tx([&](db::Connection& c) {
        return store::accept_payment(c, r->id, anna, clock, ttl);
    });
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, ErrorCode::Conflict);
    EXPECT_EQ(late.error().field, store::kExpiredField);
    EXPECT_EQ(money(anna), 3'000);
    auto declined = tx([&](db::Connection& c) {
        return store::decline_payment(c, r->id, anna, clock.now_ms(), ttl);
    });
    ASSERT_FALSE(declined);
    EXPECT_EQ(declined.error().field, store::kExpiredField);
    auto seen = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::find_request(c, r->id, clock.now_ms(), ttl);
    });
    ASSERT_TRUE(seen && *seen);
    EXPECT_EQ((*seen)->status, "expired");
    // A longer limit (the operator's setting) still lets it through.
    auto ok = tx([&](db::Connection& c) {
        return store::accept_payment(c, r->id, anna, clock, 60 * 60'000);
    });
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(money(anna), 2'500);
    expect_ledger_balanced();
}

TEST_P(Wallets, APaymentMovesMoneyOnlyWhenThePersonAccepts) {
    auto anna = add_citizen("anna@example.org");
    auto shop = add_partner("Buchhandlung am Markt");
    ASSERT_TRUE(top_up(anna, 3'000, "k"));
    auto code = wallet(anna).code;
    auto r = ask(shop, code, 1'250);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, "pending");
    EXPECT_EQ(money(anna), 3'000);
    auto ben = add_citizen("ben@example.org");
    auto stranger = tx([&](db::Connection& c) { return store::accept_payment(c, r->id, ben, clock); });
    ASSERT_FALSE(stranger);
    EXPECT_EQ(stranger.error().code, ErrorCode::NotFound);
    auto ok = tx([&](db::Connection& c) { return store::accept_payment(c, r->id, anna, clock); });
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(money(anna), 1'750);
    auto partner_balance = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return ledger::balance(c, ledger::AccountRef::partner(shop, ledger::Currency::Stadttaler));
    });
    EXPECT_EQ(partner_balance.value(), 1'250);
    auto twice = tx([&](db::Connection& c) { return store::accept_payment(c, r->id, anna, clock); });
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, ErrorCode::Conflict);
    // Too much: refused, and the request stays pending.
    auto big = ask(shop, code, 2'000).value();
    auto refused = tx([&](db::Connection& c) { return store::accept_payment(c, big.id, anna, clock); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(count("SELECT COUNT(*) FROM stadttaler_payment_requests WHERE id = ? AND status = "
                    "'pending'",
                    {big.id}),
              1);
    auto declined = tx([&](db::Connection& c) {
        return store::decline_payment(c, big.id, anna, clock.now_ms());
    });
    ASSERT_TRUE(declined);
    EXPECT_EQ(declined->status, "declined");
    auto unknown = ask(shop, shop::new_code(), 100);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
    expect_ledger_balanced();
}

TEST_P(Wallets, SettlementReportsAPeriodAndIsPaidOnce) {
    auto anna = add_citizen("anna@example.org");
    auto shop = add_partner("Café Rathaus");
    ASSERT_TRUE(top_up(anna, 10'000, "k"));
    auto code = wallet(anna).code;
    auto from = clock.now_ms();
    for (int i = 1; i <= 3; ++i) {
        auto r = ask(shop, code, i * 100).value();
        ASSERT_TRUE(tx([&](db::Connection& c) { return store::accept_payment(c, r.id, anna, clock); }));
    }
    auto to = clock.now_ms() + 1;
    auto report = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::settlement_report(c, shop, from, to);
    });
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->payments.size(), 3u);
    EXPECT_EQ(report->total_cents, 600);
    auto csv = settlement_csv(*report);
    EXPECT_NE(csv.find("total;;6,00;"), std::string::npos) << csv;
    auto xlsx = settlement_xlsx(*report);
    ASSERT_TRUE(xlsx) << xlsx.error().message;
    EXPECT_TRUE(xlsx->starts_with("PK")); // a zip archive
    auto paid = tx([&](db::Connection& c) { return store::settle(c, shop, from, to, "staff:1", clock); });
    ASSERT_TRUE(paid) << paid.error().message;
    EXPECT_TRUE(paid->settled_at_ms);
    auto partner_balance = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return ledger::balance(c, ledger::AccountRef::partner(shop, ledger::Currency::Stadttaler));
    });
    EXPECT_EQ(partner_balance.value(), 0);
    auto again = tx([&](db::Connection& c) { return store::settle(c, shop, from - 5, to, "staff:1", clock); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::Conflict);
    expect_ledger_balanced();
}

// 64 payment requests accepted at once against a balance that covers ten: ten are paid, the
// rest refused, and the wallet never goes below zero.
class PaymentRace : public Wallets {
protected:
    void SetUp() override { open(kThreads + 2); }
    static constexpr int kThreads = 64;
};

TEST_P(PaymentRace, SixtyFourConcurrentPaymentsBeyondTheBalanceNeverOverdraw) {
    auto anna = add_citizen("anna@example.org");
    auto shop = add_partner("Wochenmarkt");
    auto code = wallet(anna).code;
    for (int round = 0; round < 5; ++round) {
        ASSERT_TRUE(top_up(anna, 1'000, fmt::format("round{}", round)));
        std::vector<std::int64_t> ids;
        for (int i = 0; i < kThreads; ++i)
            ids.push_back(ask(shop, code, 100).value().id);
        std::atomic<int> ok{0}, refused{0}, other{0};
        std::latch start(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                auto r = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
                    return store::accept_payment(c, ids[t], anna, clock);
                });
                if (r)
                    ++ok;
                else if (r.error().code == ErrorCode::FailedPrecondition)
                    ++refused;
                else
                    ++other;
            });
        for (auto& th : threads)
            th.join();
        ASSERT_EQ(ok.load(), 10) << "round " << round;
        ASSERT_EQ(refused.load(), kThreads - 10) << "round " << round;
        ASSERT_EQ(other.load(), 0) << "round " << round;
        ASSERT_EQ(money(anna), 0);
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM stadttaler_payment_requests WHERE status = 'accepted'"), 50);
    expect_ledger_balanced();
}

INSTANTIATE_TEST_SUITE_P(Engines, Wallets, ::testing::ValuesIn(db::testing::backends()),
                         shop::testing::backend_label);
INSTANTIATE_TEST_SUITE_P(Engines, PaymentRace, ::testing::ValuesIn(db::testing::backends()),
                         shop::testing::backend_label);

} // namespace
} // namespace teilhabe::stadttaler
