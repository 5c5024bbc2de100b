// The ledger on both engines: double entry, overdraft, idempotency both ways, reversal, expiry
// oldest first, concurrency beyond the balance, erasure that keeps everything balanced.

#include "activity/activity_store.h"
#include "ledger/ledger_test_fixture.h"

#include <atomic>
#include <fmt/format.h>
#include <thread>

namespace teilhabe::ledger {
namespace {

using namespace std::chrono_literals;
using testing::LedgerFixture;

class LedgerTest : public LedgerFixture {};

TEST(LedgerDomain, ValidatesRequests) {
    TransferRequest ok{"k", AccountRef::town(), AccountRef::citizen(1), 5, "award", "", "", "system"};
    EXPECT_TRUE(validate(ok).has_value());
    auto bad = ok;
    bad.amount = 0;
    EXPECT_EQ(validate(bad).error().field, "amount");
    bad = ok;
    bad.idempotency_key.clear();
    EXPECT_EQ(validate(bad).error().field, "idempotency_key");
    bad = ok;
    bad.to = AccountRef::citizen(1, Currency::Stadttaler);
    EXPECT_EQ(validate(bad).error().field, "currency");
    bad = ok;
    bad.kind = "gift";
    EXPECT_EQ(validate(bad).error().field, "kind");
    bad = ok;
    bad.to = AccountRef::town();
    EXPECT_FALSE(validate(bad).has_value());
    EXPECT_EQ(parse_currency("stadttaler").value(), Currency::Stadttaler);
    EXPECT_FALSE(parse_currency("euro").has_value());
}

TEST_P(LedgerTest, TransferIsDoubleEntryAndRecordsTheActivity) {
    auto anna = citizens[0];
    auto t = award(anna, 100, "a1");
    ASSERT_TRUE(t.has_value()) << t.error().message;
    EXPECT_EQ(t->from, AccountRef::town());
    EXPECT_EQ(t->to, AccountRef::citizen(anna));
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 100);
    EXPECT_EQ(balance_of(AccountRef::town()), -100); // the town issues
    EXPECT_EQ(balance_of(AccountRef::citizen(anna, Currency::Stadttaler)), 0);
    auto lease = db().acquire().value();
    auto es = entries(*lease, AccountRef::citizen(anna), 10).value();
    ASSERT_EQ(es.size(), 1u);
    EXPECT_EQ(es[0].amount, 100);
    EXPECT_EQ(es[0].counterparty, AccountRef::town());
    EXPECT_EQ(es[0].kind, "award");
    auto acts = activity::for_citizen(*lease, anna, 10).value();
    ASSERT_EQ(acts.size(), 1u);
    EXPECT_EQ(acts[0].type, "points.earned");
    EXPECT_NE(acts[0].props.find("\"balance\":100"), std::string::npos) << acts[0].props;
    EXPECT_TRUE(report().ok());
}

TEST_P(LedgerTest, RejectsOverdraftAndKeepsBalances) {
    auto anna = citizens[0];
    ASSERT_TRUE(award(anna, 10, "a1"));
    auto spend = move({"s1", AccountRef::citizen(anna), AccountRef::partner(7), 11,
                       std::string(kind::redemption), "Schwimmbad", "offer:1", "citizen:1"});
    ASSERT_FALSE(spend.has_value());
    EXPECT_EQ(spend.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(spend.error().message, "insufficient balance");
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 10);
    EXPECT_EQ(balance_of(AccountRef::partner(7)), 0);
    // The key of the refused transfer was not used up.
    spend = move({"s1", AccountRef::citizen(anna), AccountRef::partner(7), 10,
                  std::string(kind::redemption), "Schwimmbad", "offer:1", "citizen:1"});
    ASSERT_TRUE(spend.has_value()) << spend.error().message;
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 0);
    EXPECT_EQ(balance_of(AccountRef::partner(7)), 10);
    EXPECT_TRUE(report().ok());
}

TEST_P(LedgerTest, SameKeySameRequestGivesTheSameTransferOnce) {
    auto anna = citizens[0];
    auto first = award(anna, 25, "welcome:anna");
    auto again = award(anna, 25, "welcome:anna");
    ASSERT_TRUE(first && again);
    EXPECT_EQ(first->id, again->id);
    EXPECT_EQ(first->created_at, again->created_at);
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 25);
    EXPECT_EQ(report().transfers, 1);
}

TEST_P(LedgerTest, SameKeyOtherRequestIsAnError) {
    auto anna = citizens[0], ben = citizens[1];
    ASSERT_TRUE(award(anna, 25, "k"));
    auto other_amount = award(anna, 26, "k");
    ASSERT_FALSE(other_amount.has_value());
    EXPECT_EQ(other_amount.error().code, ErrorCode::AlreadyExists);
    auto other_person = award(ben, 25, "k");
    ASSERT_FALSE(other_person.has_value());
    EXPECT_EQ(other_person.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 25);
    EXPECT_EQ(balance_of(AccountRef::citizen(ben)), 0);
}

TEST_P(LedgerTest, ReversalMovesBackOnceAndNeverEdits) {
    auto anna = citizens[0];
    auto t = award(anna, 40, "a1").value();
    auto rev = [&](std::string key, std::int64_t id) {
        return db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return reverse(c, id, key, "Versehentlich vergeben", "staff:1", clock.now());
        });
    };
    auto r = rev("rev:a1", t.id);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->reverses, t.id);
    EXPECT_EQ(r->kind, "reversal");
    EXPECT_EQ(r->from, AccountRef::citizen(anna));
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 0);
    EXPECT_EQ(rev("rev:a1", t.id)->id, r->id); // replay
    EXPECT_EQ(rev("rev:a1-again", t.id).error().code, ErrorCode::Conflict);
    EXPECT_EQ(rev("rev:rev", r->id).error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(rev("rev:none", 9999).error().code, ErrorCode::NotFound);
    // The original is unchanged, and the history shows both.
    auto lease = db().acquire().value();
    auto original = find_transfer(*lease, t.id).value().value();
    EXPECT_EQ(original.amount, 40);
    auto es = entries(*lease, AccountRef::citizen(anna), 10).value();
    ASSERT_EQ(es.size(), 2u);
    EXPECT_EQ(es[0].amount, -40);
    EXPECT_EQ(es[0].reverses, t.id);
    EXPECT_EQ(es[1].reversed_by, r->id);
}

TEST_P(LedgerTest, ReversalOfASpendingCannotOverdrawThePartner) {
    auto anna = citizens[0];
    ASSERT_TRUE(award(anna, 10, "a1"));
    auto pay = move({"p1", AccountRef::citizen(anna), AccountRef::partner(3), 10,
                     std::string(kind::redemption), "", "offer:1", "citizen:1"})
                   .value();
    ASSERT_TRUE(move({"p2", AccountRef::partner(3), AccountRef::town(), 10,
                      std::string(kind::settlement), "", "", "staff:1"}));
    auto r = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return reverse(c, pay.id, "rev:p1", "", "staff:1", clock.now());
    });
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message, "insufficient balance");
}

TEST_P(LedgerTest, PointsExpireOldestFirstAsTransfersToTheTown) {
    auto anna = citizens[0];
    ExpiryPolicy p{std::chrono::duration_cast<std::chrono::milliseconds>(30 * 24h)};
    ASSERT_TRUE(award(anna, 100, "a1", p)); // day 0, expires day 30
    clock.advance(10 * 24h);
    ASSERT_TRUE(award(anna, 50, "a2", p)); // day 10, expires day 40
    clock.advance(5 * 24h);
    ASSERT_TRUE(move({"s1", AccountRef::citizen(anna), AccountRef::partner(1), 30,
                      std::string(kind::redemption), "", "", "citizen:1"})); // from the oldest
    auto expire = [&] {
        return db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return expire_due(c, clock.now());
        });
    };
    EXPECT_EQ(expire().value(), 0);
    {
        auto pending = pending_expiry(*db().acquire().value(), anna).value();
        EXPECT_EQ(pending.amount, 120);
        EXPECT_EQ(pending.next_at, from_unix_ms(1'780'000'000'000) + 30 * 24h);
    }
    clock.advance(16 * 24h); // day 31
    EXPECT_EQ(expire().value(), 1);
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 50); // 70 of the first credit expired
    EXPECT_EQ(expire().value(), 0);                        // once
    clock.advance(10 * 24h); // day 41
    EXPECT_EQ(expire().value(), 1);
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 0);
    EXPECT_EQ(balance_of(AccountRef::town()), -30);
    auto lease = db().acquire().value();
    auto es = entries(*lease, AccountRef::citizen(anna), 10).value();
    ASSERT_EQ(es.size(), 5u);
    EXPECT_EQ(es[0].kind, "expiry");
    EXPECT_EQ(es[0].amount, -50);
    EXPECT_EQ(es[1].amount, -70);
    auto acts = activity::for_citizen(*lease, anna, 10).value();
    EXPECT_EQ(acts[0].type, "points.expired");
}

TEST_P(LedgerTest, ReversalTakesTheLotOfTheCreditItReverses) {
    auto anna = citizens[0];
    ExpiryPolicy p{std::chrono::duration_cast<std::chrono::milliseconds>(30 * 24h)};
    ASSERT_TRUE(award(anna, 100, "old", p));
    clock.advance(20 * 24h);
    auto fresh = award(anna, 10, "new", p).value();
    ASSERT_TRUE(db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return reverse(c, fresh.id, "rev:new", "", "staff:1", clock.now());
    }));
    clock.advance(11 * 24h);
    ASSERT_TRUE(db().transaction(db::TxMode::Write,
                                 [&](db::Connection& c) { return expire_due(c, clock.now()); }));
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 0); // all of the old credit expired
}

TEST_P(LedgerTest, UnknownCitizenIsNotFound) {
    auto t = award(424242, 5, "x");
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, ErrorCode::NotFound);
}

// 64 threads, each with its own connection, pay more in total than the wallet holds: exactly as
// many succeed as the balance allows, and the balance never goes below zero.
TEST_P(LedgerTest, ConcurrentPaymentsBeyondTheBalanceNeverOverdraw) {
    auto anna = citizens[0];
    ASSERT_TRUE(move({"topup", AccountRef::town(Currency::Stadttaler),
                      AccountRef::citizen(anna, Currency::Stadttaler), 1000,
                      std::string(kind::topup), "Einzahlung", "", "staff:1"}));
    ASSERT_TRUE(award(anna, 500, "points"));
    std::atomic<int> paid{0}, refused{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 64; ++i) {
        threads.emplace_back([&, i] {
            auto cur = i % 2 == 0 ? Currency::Stadttaler : Currency::Points;
            TransferRequest r{"pay:" + std::to_string(i), AccountRef::citizen(anna, cur),
                              AccountRef::partner(1 + i % 3, cur), cur == Currency::Points ? 50 : 100,
                              std::string(cur == Currency::Points ? kind::redemption : kind::payment),
                              "", "", "citizen:1"};
            auto t = move(r);
            if (t)
                ++paid;
            else if (t.error().message == "insufficient balance")
                ++refused;
            else
                ++other;
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(paid.load(), 20); // 10 of 100 cents, 10 of 50 points
    EXPECT_EQ(refused.load(), 44);
    EXPECT_EQ(balance_of(AccountRef::citizen(anna, Currency::Stadttaler)), 0);
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 0);
    EXPECT_TRUE(report().ok());
}

// The same key sent by many at once is recorded once.
TEST_P(LedgerTest, ConcurrentRepeatsOfOneKeyRecordOneTransfer) {
    auto anna = citizens[0];
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    std::vector<std::int64_t> ids(16);
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&, i] {
            auto t = award(anna, 7, "same-key");
            if (t) {
                ++ok;
                ids[i] = t->id;
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(ok.load(), 16);
    for (auto id : ids)
        EXPECT_EQ(id, ids[0]);
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 7);
}

// GDPR Art. 17: the person's accounts are anonymised; entries stay and everything balances.
TEST_P(LedgerTest, ErasureAnonymisesTheOwnerAndKeepsTheLedgerBalanced) {
    auto anna = citizens[0];
    ASSERT_TRUE(award(anna, 30, "a1"));
    ASSERT_TRUE(db().transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        TRY(anonymise_citizen(c, anna, clock.now()));
        TRY(c.execute("DELETE FROM activities WHERE citizen_id = ?", {anna}));
        TRY(c.execute("DELETE FROM citizens WHERE id = ?", {anna}));
        return {};
    }));
    auto lease = db().acquire().value();
    EXPECT_EQ(lease->query_one("SELECT COUNT(*) FROM ledger_accounts WHERE citizen_id IS NOT NULL OR "
                               "(owner = 'citizen' AND owner_id = ?)",
                               {anna})
                  ->get_int(0),
              0);
    EXPECT_EQ(lease->query_one("SELECT COUNT(*) FROM ledger_entries")->get_int(0), 2);
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 0);
    EXPECT_EQ(balance_of(AccountRef::town()), -30);
    EXPECT_TRUE(report().ok()) << report().problems.front();
}

// Two profiles of one person merged: the duplicate's points (lot by lot, each keeping its
// expiry) and Stadttaler go to the survivor by balanced transfers; a repeat moves nothing.
TEST_P(LedgerTest, MergingMovesTheDuplicatesBalancesByTransfersKeepingExpiry) {
    auto dupe = citizens[0], anna = citizens[1];
    ExpiryPolicy p{std::chrono::duration_cast<std::chrono::milliseconds>(30 * 24h)};
    ASSERT_TRUE(award(dupe, 40, "d1", p)); // expires day 30
    clock.advance(5 * 24h);
    ASSERT_TRUE(award(dupe, 25, "d2")); // never expires
    ASSERT_TRUE(award(anna, 10, "a1"));
    ASSERT_TRUE(move({"t1", AccountRef::town(Currency::Stadttaler),
                      AccountRef::citizen(dupe, Currency::Stadttaler), 2'000,
                      std::string(kind::topup), "Einzahlung", "", "staff:1"}));
    ASSERT_TRUE(move({"s1", AccountRef::citizen(dupe), AccountRef::partner(1), 5,
                      std::string(kind::redemption), "", "", "citizen:1"})); // from lot d1
    auto merge = [&] {
        return db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return move_citizen_balances(c, dupe, anna, "staff:1", clock.now());
        });
    };
    auto made = merge();
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_EQ(*made, 3); // two lots of points, one Stadttaler balance
    EXPECT_EQ(balance_of(AccountRef::citizen(dupe)), 0);
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 70);
    EXPECT_EQ(balance_of(AccountRef::citizen(dupe, Currency::Stadttaler)), 0);
    EXPECT_EQ(balance_of(AccountRef::citizen(anna, Currency::Stadttaler)), 2'000);
    EXPECT_EQ(balance_of(AccountRef::town()), -75); // the town issued nothing new
    EXPECT_TRUE(report().ok());
    EXPECT_EQ(merge().value(), 0) << "a repeat finds nothing left to move";
    {
        auto lease = db().acquire().value();
        auto t = find_by_key(*lease, fmt::format("merge:{}:{}:stadttaler", dupe, anna)).value();
        ASSERT_TRUE(t);
        EXPECT_EQ(t->kind, "merge");
        EXPECT_EQ(t->amount, 2'000);
        auto pending = pending_expiry(*lease, anna).value();
        EXPECT_EQ(pending.amount, 35) << "the 35 points left of the first credit still expire";
        EXPECT_EQ(pending.next_at, from_unix_ms(1'780'000'000'000) + 30 * 24h);
        auto acts = activity::for_citizen(*lease, anna, 10).value();
        EXPECT_EQ(acts[0].type, "stadttaler.merged");
    }
    clock.advance(26 * 24h); // day 31: the moved lot expires on the survivor's account
    auto expired = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return expire_due(c, clock.now());
    });
    ASSERT_TRUE(expired) << expired.error().message;
    EXPECT_EQ(balance_of(AccountRef::citizen(anna)), 35);
}

TEST_P(LedgerTest, CheckFindsABrokenBalance) {
    ASSERT_TRUE(award(citizens[0], 30, "a1"));
    auto lease = db().acquire().value();
    ASSERT_TRUE(lease->execute("UPDATE ledger_accounts SET balance = balance + 1 WHERE owner = 'citizen'"));
    auto r = check(*lease).value();
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.problems[0].find("sum"), std::string::npos) << r.problems[0];
    if (GetParam() == db::Backend::Sqlite) { // a forked child must not share a PostgreSQL socket
        EXPECT_DEATH(check_or_abort(*lease), "LEDGER INVARIANT BROKEN");
    }
    // Repair, so that TearDown's check passes.
    ASSERT_TRUE(lease->execute("UPDATE ledger_accounts SET balance = balance - 1 WHERE owner = 'citizen'"));
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::ledger
