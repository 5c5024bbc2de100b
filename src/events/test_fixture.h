#pragma once
// A fresh database on each engine with people and events, for the events' store tests. Only
// for tests.

#include "db/test_support.h"
#include "events/event_store.h"
#include "events/registration_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <mutex>

namespace teilhabe::events::testing {

// Records the promotion mails instead of queueing them.
struct MailRecorder {
    std::mutex mutex;
    std::vector<PromotionMail> sent;
    PromotionMailer mailer() {
        return [this](db::Connection&, const PromotionMail& m) -> Result<void> {
            std::lock_guard lock(mutex);
            sent.push_back(m);
            return {};
        };
    }
};

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

    std::int64_t add_citizen(const std::string& email, const std::string& first = "Anna") {
        auto r = tx([&](db::Connection& c) {
            return c.query_one("INSERT INTO citizens (email, first_name, created_at, updated_at) "
                               "VALUES (?, ?, 0, 0) RETURNING id",
                               {email, first});
        });
        EXPECT_TRUE(r) << r.error().message;
        return r ? r->get_int(0) : 0;
    }

    static constexpr std::int64_t kDay = 24 * 3600 * 1000;

    // Published, a week from now, two hours long.
    Event add_event(std::optional<std::int64_t> capacity, bool waiting_list = true) {
        Event e{.title = "Frühjahrsputz im Stadtpark", .place = "Stadtpark, Eingang Nord",
                .starts_at_ms = clock.now_ms() + 7 * kDay,
                .ends_at_ms = clock.now_ms() + 7 * kDay + 2 * 3600 * 1000,
                .capacity = capacity, .waiting_list = waiting_list, .points = 30,
                .status = Status::Published};
        auto r = tx([&](db::Connection& c) { return store::create_event(c, e, "staff:1", clock.now_ms()); });
        EXPECT_TRUE(r) << r.error().message;
        return r ? *r : Event{};
    }

    Result<Registration> reg(std::int64_t event, std::int64_t citizen) {
        return tx([&](db::Connection& c) {
            return store::register_person(c, event, citizen, "citizen:1", clock);
        });
    }

    Result<Registration> cancel(std::int64_t registration) {
        return tx([&](db::Connection& c) {
            return store::cancel_registration(c, registration, "citizen:1", clock, mails.mailer());
        });
    }

    std::int64_t count(const std::string& sql, db::Params params = {}) {
        auto r = db().transaction(db::TxMode::Read,
                                  [&](db::Connection& c) { return c.query_one(sql, params); });
        EXPECT_TRUE(r) << sql << ": " << (r ? "" : r.error().message);
        return r ? r->get_int(0) : -1;
    }

    ManualClock clock;
    MailRecorder mails;
    std::unique_ptr<db::testing::TestDatabase> m_db;
};

} // namespace teilhabe::events::testing
