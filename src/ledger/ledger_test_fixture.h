#pragma once
// A fresh database per test on each backend, with a few citizens, for the ledger's tests.

#include "db/test_support.h"
#include "ledger/ledger_store.h"

#include <gtest/gtest.h>

namespace teilhabe::ledger::testing {

class LedgerFixture : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam(), true, 16);
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        for (int i = 1; i <= 5; ++i)
            citizens.push_back(add_citizen(i));
    }
    // Every test ends with the invariants (they abort loudly when broken).
    void TearDown() override {
        if (m_t)
            check_or_abort(*db().acquire().value());
    }
    db::Database& db() { return *m_t->db; }
    std::int64_t add_citizen(int i) {
        auto row = db().acquire().value()->query_one(
            "INSERT INTO citizens (email, first_name, created_at, updated_at) VALUES (?, ?, ?, ?) "
            "RETURNING id",
            {"person" + std::to_string(i) + "@musterstadt.example", "P" + std::to_string(i),
             clock.now_ms(), clock.now_ms()});
        EXPECT_TRUE(row.has_value()) << row.error().message;
        return row ? row->get_int(0) : 0;
    }
    // One transfer in its own transaction.
    Result<Transfer> move(const TransferRequest& r, ExpiryPolicy p = {}) {
        return db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return transfer(c, r, clock.now(), p);
        });
    }
    Result<Transfer> award(std::int64_t citizen, std::int64_t points, std::string key,
                           ExpiryPolicy p = {}) {
        return move({std::move(key), AccountRef::town(), AccountRef::citizen(citizen), points,
                     std::string(kind::award), "Dankeschön", "test", "system"},
                    p);
    }
    std::int64_t balance_of(const AccountRef& a) {
        return balance(*db().acquire().value(), a).value();
    }
    CheckReport report() { return check(*db().acquire().value()).value(); }

    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock clock;
    std::vector<std::int64_t> citizens;
};

} // namespace teilhabe::ledger::testing
