#pragma once
// A fresh database on each engine with a person, points and offers, for the shop's store tests
// (and the Stadttaler's, which share partners). Only for tests.

#include "activity/activity_store.h"
#include "db/test_support.h"
#include "ledger/ledger_store.h"
#include "shop/shop_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace teilhabe::shop::testing {

class StoreTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override { open(4); }

    void open(std::size_t pool) {
        auto t = db::testing::make_database(GetParam(), true, pool);
        ASSERT_TRUE(t) << t.error().message;
        m_db = std::move(*t);
        clock.set(from_unix_ms(1'790'000'000'000)); // Sept 2026
    }

    db::Database& db() { return *m_db->db; }

    template <class F> auto tx(F&& fn) {
        return db().transaction(db::TxMode::Write, std::forward<F>(fn));
    }

    std::int64_t add_citizen(const std::string& email) {
        auto r = tx([&](db::Connection& c) {
            return c.query_one("INSERT INTO citizens (email, first_name, created_at, updated_at) "
                               "VALUES (?, 'Anna', 0, 0) RETURNING id",
                               {email});
        });
        EXPECT_TRUE(r) << r.error().message;
        return r ? r->get_int(0) : 0;
    }

    void award(std::int64_t citizen, std::int64_t points,
               ledger::Currency currency = ledger::Currency::Points) {
        static int n = 0;
        auto r = tx([&](db::Connection& c) {
            return ledger::transfer(
                c,
                {.idempotency_key = fmt::format("test.award:{}:{}", citizen, ++n),
                 .from = ledger::AccountRef::town(currency),
                 .to = ledger::AccountRef::citizen(citizen, currency),
                 .amount = points,
                 .kind = std::string(currency == ledger::Currency::Points ? ledger::kind::award
                                                                          : ledger::kind::topup),
                 .reason = "test",
                 .object = "test",
                 .actor = "system"},
                clock.now());
        });
        ASSERT_TRUE(r) << r.error().message;
    }

    std::int64_t balance(std::int64_t citizen, ledger::Currency currency = ledger::Currency::Points) {
        auto r = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
            return ledger::balance(c, ledger::AccountRef::citizen(citizen, currency));
        });
        EXPECT_TRUE(r) << r.error().message;
        return r ? *r : -1;
    }

    Offer add_offer(std::int64_t price, std::optional<std::int64_t> stock,
                    std::optional<std::int64_t> limit,
                    std::optional<std::int64_t> partner = std::nullopt) {
        Offer o{.title = "Schwimmbad-Eintritt", .price_points = price, .stock = stock,
                .per_person_limit = limit, .partner_id = partner};
        auto r = tx([&](db::Connection& c) { return store::create_offer(c, o, "staff:1", 0); });
        EXPECT_TRUE(r) << r.error().message;
        return r ? *r : Offer{};
    }

    std::int64_t add_partner(const std::string& name) {
        auto r = tx([&](db::Connection& c) { return store::create_partner(c, name, "", 0); });
        EXPECT_TRUE(r) << r.error().message;
        return r ? r->id : 0;
    }

    std::int64_t count(const std::string& sql, db::Params params = {}) {
        auto r = db().transaction(db::TxMode::Read,
                                  [&](db::Connection& c) { return c.query_one(sql, params); });
        EXPECT_TRUE(r) << sql << ": " << (r ? "" : r.error().message);
        return r ? r->get_int(0) : -1;
    }

    void expect_ledger_balanced() {
        auto r = db().transaction(db::TxMode::Read,
                                  [&](db::Connection& c) { return ledger::check(c); });
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_TRUE(r->ok()) << (r->problems.empty() ? "" : r->problems.front());
    }

    ManualClock clock;
    std::unique_ptr<db::testing::TestDatabase> m_db;
};

inline std::string backend_label(const ::testing::TestParamInfo<db::Backend>& info) {
    return db::testing::backend_name(info.param);
}

} // namespace teilhabe::shop::testing
