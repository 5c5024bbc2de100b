// Property-style: random sequences of transfers, overdrafts, replays, conflicting keys,
// reversals and expiry keep every invariant, and the balances equal a simple model of them.

#include "ledger/ledger_test_fixture.h"

#include <map>
#include <random>

namespace teilhabe::ledger {
namespace {

using namespace std::chrono_literals;

class LedgerPropertyTest : public testing::LedgerFixture {
protected:
    struct Key {
        AccountRef::Owner owner;
        std::int64_t id;
        Currency cur;
        auto operator<=>(const Key&) const = default;
    };
    static Key key(const AccountRef& a) { return {a.owner, a.owner_id, a.currency}; }
    void apply(const Transfer& t) {
        model[key(t.from)] -= t.amount;
        model[key(t.to)] += t.amount;
    }
    // Expiry transfers the model did not make itself.
    void apply_new_expiries() {
        auto lease = db().acquire().value();
        auto rows = lease->query("SELECT id FROM ledger_transfers WHERE kind = 'expiry' AND id > ? "
                                 "ORDER BY id",
                                 {last_expiry}).value();
        for (const auto& r : rows.rows) {
            apply(find_transfer(*lease, r.get_int(0)).value().value());
            last_expiry = r.get_int(0);
        }
    }
    void expect_model() {
        for (const auto& [k, v] : model)
            EXPECT_EQ(balance_of({k.owner, k.id, k.cur}), v);
        auto r = report();
        EXPECT_TRUE(r.ok()) << r.problems.front();
    }
    std::map<Key, std::int64_t> model;
    std::int64_t last_expiry{0};
};

TEST_P(LedgerPropertyTest, RandomSequencesKeepTheInvariants) {
    ExpiryPolicy policy{std::chrono::duration_cast<std::chrono::milliseconds>(7 * 24h)};
    for (unsigned seed : {1u, 2u, 3u}) {
        std::mt19937 rng(seed);
        auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
        std::vector<Transfer> done;
        std::vector<TransferRequest> sent;
        int refused = 0;
        for (int step = 0; step < 150; ++step) {
            auto cur = pick(3) == 0 ? Currency::Stadttaler : Currency::Points;
            auto person = [&] { return AccountRef::citizen(citizens[pick(5)], cur); };
            auto partner = [&] { return AccountRef::partner(1 + pick(2), cur); };
            std::string key = "s" + std::to_string(seed) + ":" + std::to_string(step);
            int op = pick(10);
            if (op <= 2) { // award or top-up
                TransferRequest r{key, AccountRef::town(cur), person(), 1 + pick(100),
                                  std::string(cur == Currency::Points ? kind::award : kind::topup),
                                  "", "", "system"};
                auto t = move(r, policy);
                ASSERT_TRUE(t.has_value()) << t.error().message;
                apply(*t);
                done.push_back(*t);
                sent.push_back(r);
            } else if (op <= 5) { // spend, pay, or give to another person, maybe beyond the balance
                auto to = op == 5 ? person() : partner();
                TransferRequest r{key, person(), to, 1 + pick(120),
                                  std::string(op == 5 ? kind::refund : kind::payment), "", "",
                                  "citizen"};
                auto t = move(r, policy);
                if (t) {
                    apply(*t);
                    done.push_back(*t);
                    sent.push_back(r);
                } else if (r.from == r.to) {
                    EXPECT_EQ(t.error().code, ErrorCode::InvalidArgument);
                } else {
                    EXPECT_EQ(t.error().message, "insufficient balance");
                    ++refused;
                }
            } else if (op == 6 && !sent.empty()) { // replay: same key, same request
                auto i = pick(static_cast<int>(sent.size()));
                auto t = move(sent[i], policy);
                ASSERT_TRUE(t.has_value()) << t.error().message;
                EXPECT_EQ(t->id, done[i].id);
            } else if (op == 7 && !sent.empty()) { // same key, another request
                auto r = sent[pick(static_cast<int>(sent.size()))];
                r.amount += 1;
                auto t = move(r, policy);
                ASSERT_FALSE(t.has_value());
                EXPECT_EQ(t.error().code, ErrorCode::AlreadyExists);
            } else if (op == 8 && !done.empty()) { // reversal of any earlier transfer
                auto& original = done[pick(static_cast<int>(done.size()))];
                auto t = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
                    return reverse(c, original.id, "rev:" + key, "", "staff:1", clock.now(), policy);
                });
                if (t)
                    apply(*t);
                else
                    EXPECT_TRUE(t.error().code == ErrorCode::Conflict ||
                                t.error().code == ErrorCode::FailedPrecondition)
                        << t.error().message;
            } else { // time passes; what is due expires
                clock.advance(std::chrono::hours(1 + pick(72)));
                ASSERT_TRUE(db().transaction(db::TxMode::Write, [&](db::Connection& c) {
                    return expire_due(c, clock.now());
                }));
                apply_new_expiries();
            }
            if (step % 25 == 0)
                expect_model();
        }
        expect_model();
        check_or_abort(*db().acquire().value());
        EXPECT_GT(refused, 0) << "the sequence never tried an overdraft";
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerPropertyTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::ledger
