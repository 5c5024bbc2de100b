#include "activity/activity_store.h"
#include "activity/consumer.h"
#include "activity/consumer_testing.h"
#include "db/migrator.h"
#include "db/test_support.h"

#include <chrono>
#include <gtest/gtest.h>
#include <thread>

namespace teilhabe::activity {
namespace {

class ActivityTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
    }
    db::Database& db() { return *m_t->db; }
    Result<Activity> add(Activity a) {
        return db().transaction(db::TxMode::Write,
                                [&](db::Connection& c) { return append(c, a, m_clock); });
    }
    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
};

// On PostgreSQL the consumer reads only below the oldest transaction still running in the whole
// cluster (see db/dialect.h), and other tests run in parallel on the same cluster: a run can see
// nothing yet, for as long as someone else's transaction is open. Wait for that, boundedly.
Result<int> run_until_progress(db::Database& db, Consumer& c, const Clock& clock, int batch = 100,
                               std::chrono::milliseconds budget = {}) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        auto n = run_consumer_once(db, c, clock, batch, budget);
        if (!n || *n != 0 || std::chrono::steady_clock::now() > deadline)
            return n;
        std::this_thread::sleep_for(std::chrono::milliseconds(5)); // waiting on other processes
    }
}

struct Recorder : Consumer {
    std::vector<std::int64_t> seen;
    bool fail_next{false};
    std::string name() const override { return "recorder"; }
    Result<void> handle(db::Connection&, const Activity& a) override {
        if (fail_next) {
            fail_next = false;
            return fail(Error::unavailable("downstream down"));
        }
        seen.push_back(a.id);
        return {};
    }
};

TEST(ActivityType, Validation) {
    EXPECT_TRUE(validate_type("newsletter.confirmed").has_value());
    EXPECT_TRUE(validate_type("email.clicked").has_value());
    EXPECT_FALSE(validate_type("").has_value());
    EXPECT_FALSE(validate_type("Email.Clicked").has_value());
    EXPECT_FALSE(validate_type("a..b").has_value());
    EXPECT_FALSE(validate_type("a.").has_value());
    EXPECT_FALSE(validate_type(".a").has_value());
    EXPECT_FALSE(validate_type(std::string(65, 'a')).has_value());
}

TEST_P(ActivityTest, IdempotencyKeyReturnsTheSameActivity) {
    Activity a{.type = "survey.completed", .citizen_id = 7, .actor = "apikey:1",
               .object = "survey:3", .idempotency_key = "abc"};
    auto first = add(a);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    auto second = add(a);
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(first->id, second->id);
    a.object = "survey:4";
    auto other = add(a);
    ASSERT_FALSE(other.has_value());
    EXPECT_EQ(other.error().code, ErrorCode::AlreadyExists);
}

// Other systems retry: two first requests with one key may arrive at the same moment. Every
// one of them gets the one activity (none an error), and it is stored once.
TEST_P(ActivityTest, ConcurrentFirstRequestsWithOneKeyAllGetTheSameActivity) {
    constexpr int kThreads = 8;
    std::vector<Result<Activity>> results(kThreads, fail(Error::internal("not run")));
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&, i] {
            results[i] = add({.type = "library.loan", .citizen_id = 9, .actor = "apikey:1",
                              .object = "book:4711", .idempotency_key = "race-1"});
        });
    for (auto& t : threads)
        t.join();
    for (const auto& r : results) {
        ASSERT_TRUE(r.has_value()) << r.error().message;
        EXPECT_EQ(r->id, results[0]->id);
    }
    auto count = db().transaction(db::TxMode::Read, [](db::Connection& c) {
        return c.query_one("SELECT COUNT(*) FROM activities WHERE idempotency_key = 'race-1'");
    });
    ASSERT_TRUE(count.has_value()) << count.error().message;
    EXPECT_EQ(count->get_int(0), 1);
}

// Migration 0023 replaces the key's UNIQUE constraint by a partial unique index (and, on SQLite,
// rebuilds the table for it): a log written before keeps its rows, ids and keys, and a key is
// still answered as a replay afterwards.
TEST_P(ActivityTest, TheLogKeepsItsRowsAndKeysAcrossTheIndexMigration) {
    auto fresh = db::testing::make_database(GetParam(), /*migrated=*/false);
    ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
    auto& fdb = *(*fresh)->db;
    auto all = db::embedded_migrations(GetParam());
    auto before = all;
    std::erase_if(before, [](const db::Migration& m) { return m.version >= 23; });
    ASSERT_LT(before.size(), all.size());
    ASSERT_TRUE(db::migrate(fdb, before, m_clock).has_value());
    auto old = fdb.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::vector<Activity>> {
        std::vector<Activity> out;
        out.push_back(TRY(append(c, {.type = "library.loan", .citizen_id = 3, .actor = "apikey:1", .object = "book:1"},
                                 m_clock)));
        out.push_back(TRY(append(c, {.type = "library.loan", .citizen_id = 3, .actor = "apikey:1", .object = "book:2",
                                     .idempotency_key = "loan-2"},
                                 m_clock)));
        out.push_back(TRY(append(c, {.type = "pool.visit", .actor = "apikey:1"}, m_clock)));
        return out;
    });
    ASSERT_TRUE(old.has_value()) << old.error().message;
    auto applied = db::migrate(fdb, all, m_clock);
    ASSERT_TRUE(applied.has_value()) << applied.error().message;
    EXPECT_EQ(applied->current_version, all.back().version);

    auto after = fdb.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::vector<Activity>> {
        std::vector<Activity> out;
        for (const auto& a : *old)
            out.push_back(*TRY(find(c, a.id)));
        return out;
    });
    ASSERT_TRUE(after.has_value()) << after.error().message;
    for (std::size_t i = 0; i < old->size(); ++i) {
        EXPECT_EQ((*after)[i].object, (*old)[i].object);
        EXPECT_EQ((*after)[i].idempotency_key, (*old)[i].idempotency_key);
        EXPECT_EQ(to_unix_ms((*after)[i].occurred_at), to_unix_ms((*old)[i].occurred_at));
    }
    auto again = fdb.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Appended> {
        return append_once(c, {.type = "library.loan", .citizen_id = 3, .actor = "apikey:1", .object = "book:2",
                               .idempotency_key = "loan-2"},
                           m_clock);
    });
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(again->outcome, Appended::Outcome::Replayed);
    EXPECT_EQ(again->activity.id, (*old)[1].id);
    // Rows without a key stay many; a second row with a used key is refused by the index itself.
    auto direct = fdb.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        TRY(append_all(c, {{.type = "pool.visit", .actor = "apikey:1"}, {.type = "pool.visit", .actor = "apikey:1"}},
                       m_clock));
        TRY(c.execute("INSERT INTO activities (type, actor, occurred_at, recorded_at, idempotency_key) "
                      "VALUES ('pool.visit', 'apikey:1', 1, 1, 'loan-2')"));
        return {};
    });
    ASSERT_FALSE(direct.has_value());
}

// Runs the consumer until it has seen `want` activities; every batch at most `batch` long.
void drain(db::Database& db, Recorder& r, const Clock& clock, std::size_t want, int batch = 100) {
    for (int round = 0; r.seen.size() < want && round < 100; ++round) {
        auto n = run_until_progress(db, r, clock, batch);
        ASSERT_TRUE(n.has_value()) << n.error().message;
        ASSERT_GT(*n, 0) << "the consumer made no progress";
        ASSERT_LE(*n, batch);
    }
}

TEST_P(ActivityTest, ConsumerSeesEveryActivityOnceInOrder) {
    Recorder r;
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(add({.type = "t.x", .actor = "system"}).has_value());
    drain(db(), r, m_clock, 5, 3);
    EXPECT_EQ(run_consumer_once(db(), r, m_clock, 3).value(), 0);
    ASSERT_EQ(r.seen.size(), 5u);
    for (std::size_t i = 1; i < r.seen.size(); ++i)
        EXPECT_LT(r.seen[i - 1], r.seen[i]);
}

TEST_P(ActivityTest, FailedBatchIsRetriedNotSkipped) {
    Recorder r;
    ASSERT_TRUE(add({.type = "t.x", .actor = "system"}).has_value());
    ASSERT_TRUE(add({.type = "t.y", .actor = "system"}).has_value());
    r.fail_next = true;
    // The failure must come from the consumer, not from an empty read.
    EXPECT_FALSE(run_until_progress(db(), r, m_clock).has_value());
    EXPECT_FALSE(r.fail_next);
    drain(db(), r, m_clock, 2);
    EXPECT_EQ(r.seen.size(), 2u);
    EXPECT_LT(r.seen[0], r.seen[1]);
}

// A consumer that names the types it wants reads only those, in order, none skipped even when a
// batch is full; its position still moves past the others (to the newest activity).
struct Picky : Recorder {
    std::string name() const override { return "picky"; }
    Result<std::optional<std::vector<std::string>>> wanted_types(db::Connection&) override {
        return std::optional<std::vector<std::string>>(std::vector<std::string>{"t.wanted", "t.also"});
    }
};

TEST_P(ActivityTest, ConsumerWithWantedTypesReadsOnlyThemAndMovesPastTheRest) {
    Picky r;
    std::vector<std::int64_t> wanted;
    std::int64_t last = 0;
    for (const char* type : {"t.skip", "t.wanted", "t.skip", "t.also", "t.skip", "t.wanted",
                             "t.wanted", "t.skip", "t.also", "t.skip"}) {
        auto a = add({.type = type, .actor = "system"});
        ASSERT_TRUE(a.has_value());
        if (std::string_view(type) != "t.skip")
            wanted.push_back(a->id);
        last = a->id;
    }
    // Batches of two: full batches end at their last item, the final one at the newest row.
    auto done = testing::consume_all(db(), r, m_clock, std::chrono::seconds(20), 2);
    ASSERT_TRUE(done.has_value()) << done.error().message;
    EXPECT_TRUE(*done);
    EXPECT_EQ(r.seen, wanted);
    auto lease = db().acquire();
    ASSERT_TRUE(lease.has_value());
    EXPECT_EQ(load_position(**lease, "picky").value().activity_id, last);
    // Nothing new: nothing read again.
    EXPECT_EQ(run_consumer_once(db(), r, m_clock, 2).value(), 0);
    EXPECT_EQ(r.seen.size(), wanted.size());
}

// A batch ends once its time budget is used: here every activity takes 10 ms on the test's
// clock and the budget is 25 ms, so three to a batch. The position is the last one handled
// (also for a consumer of some types, which otherwise jumps to the newest row), and the next
// batch goes on from there.
struct Slow : Picky {
    ManualClock* clock{nullptr};
    std::string name() const override { return "slow"; }
    Result<void> handle(db::Connection& c, const Activity& a) override {
        clock->advance(std::chrono::milliseconds(10));
        return Recorder::handle(c, a);
    }
};

TEST_P(ActivityTest, BatchEndsWhenItsTimeBudgetIsUsed) {
    std::vector<std::int64_t> wanted;
    for (int i = 0; i < 7; ++i) {
        ASSERT_TRUE(add({.type = "t.skip", .actor = "system"}).has_value());
        auto a = add({.type = "t.wanted", .actor = "system"});
        ASSERT_TRUE(a.has_value());
        wanted.push_back(a->id);
    }
    Slow r;
    r.clock = &m_clock;
    for (std::size_t expected : {3u, 3u, 1u}) {
        auto before = r.seen.size();
        auto n = run_until_progress(db(), r, m_clock, 100, std::chrono::milliseconds(25));
        ASSERT_TRUE(n.has_value()) << n.error().message;
        EXPECT_EQ(*n, static_cast<int>(expected));
        ASSERT_EQ(r.seen.size(), before + expected);
        auto lease = db().acquire();
        ASSERT_TRUE(lease.has_value());
        EXPECT_EQ(load_position(**lease, "slow").value().activity_id, r.seen.back());
    }
    EXPECT_EQ(r.seen, wanted);
    EXPECT_EQ(run_consumer_once(db(), r, m_clock, 100, std::chrono::milliseconds(25)).value(), 0);
}

// Many at once (the click recorder): 70 activities in statements of 32 rows arrive in order,
// each with its own values; one invalid or keyed activity refuses the whole call.
TEST_P(ActivityTest, AppendAllWritesEveryActivityInOrder) {
    std::vector<Activity> all;
    for (int i = 0; i < 70; ++i)
        all.push_back({.type = "email.clicked", .citizen_id = i % 2 ? std::optional<std::int64_t>(i) : std::nullopt,
                       .actor = "system", .object = "link:" + std::to_string(i),
                       .props = "{\"n\":" + std::to_string(i) + "}"});
    auto done = db().transaction(db::TxMode::Write, [&](db::Connection& c) { return append_all(c, all, m_clock); });
    ASSERT_TRUE(done) << done.error().message;
    auto rows = db().transaction(db::TxMode::Read, [](db::Connection& c) {
        return c.query("SELECT object, citizen_id, props, recorded_at FROM activities ORDER BY id");
    });
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->rows.size(), 70u);
    for (int i = 0; i < 70; ++i) {
        const auto& r = rows->rows[static_cast<std::size_t>(i)];
        EXPECT_EQ(r.get_text(0), "link:" + std::to_string(i));
        EXPECT_EQ(r.get_opt_int(1), i % 2 ? std::optional<std::int64_t>(i) : std::nullopt);
        EXPECT_EQ(r.get_text(2), "{\"n\":" + std::to_string(i) + "}");
        EXPECT_EQ(r.get_int(3), to_unix_ms(m_clock.now()));
    }
    std::vector<Activity> bad{{.type = "ok.type", .actor = "system"}, {.type = "Not Valid", .actor = "system"}};
    EXPECT_FALSE(db().transaction(db::TxMode::Write, [&](db::Connection& c) { return append_all(c, bad, m_clock); }));
    std::vector<Activity> keyed{{.type = "ok.type", .actor = "system", .idempotency_key = "k"}};
    EXPECT_FALSE(db().transaction(db::TxMode::Write, [&](db::Connection& c) { return append_all(c, keyed, m_clock); }));
    auto count = db().transaction(db::TxMode::Read, [](db::Connection& c) {
        return c.query_one("SELECT COUNT(*) FROM activities");
    });
    ASSERT_TRUE(count) << count.error().message;
    EXPECT_EQ(count->get_int(0), 70);
}

TEST_P(ActivityTest, TimelineIsNewestFirst) {
    ASSERT_TRUE(add({.type = "a.first", .citizen_id = 1, .actor = "system"}).has_value());
    m_clock.advance(std::chrono::seconds(1));
    ASSERT_TRUE(add({.type = "a.second", .citizen_id = 1, .actor = "system"}).has_value());
    ASSERT_TRUE(add({.type = "a.other", .citizen_id = 2, .actor = "system"}).has_value());
    auto lease = db().acquire();
    auto items = for_citizen(**lease, 1, 10);
    ASSERT_TRUE(items.has_value());
    ASSERT_EQ(items->size(), 2u);
    EXPECT_EQ((*items)[0].type, "a.second");
}

// On PostgreSQL, ids are handed out before commit: a transaction that started earlier can
// commit a lower id after a later one committed. The consumer must wait for it, not skip it.
// PostgreSQL only: instantiated for the PostgreSQL entry of db::testing::backends(), which is
// there whenever the test script (or CI) provides a server, and then required.
class ActivityPostgres : public ::testing::TestWithParam<db::Backend> {};

TEST_P(ActivityPostgres, ConsumerDoesNotSkipLateCommittingTransaction) {
    auto t = db::testing::make_database(GetParam()).value();
    ManualClock clock;
    auto slow = t->db->acquire().value();
    ASSERT_TRUE(slow->begin(true).has_value());
    ASSERT_TRUE(append(*slow, {.type = "t.slow", .actor = "system"}, clock).has_value());
    // Another transaction appends and commits while the first is still open.
    ASSERT_TRUE(t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
                        return append(c, {.type = "t.fast", .actor = "system"}, clock);
                    }).has_value());
    Recorder r;
    EXPECT_EQ(run_consumer_once(*t->db, r, clock).value(), 0);
    ASSERT_TRUE(slow->commit().has_value());
    drain(*t->db, r, clock, 2);
    EXPECT_EQ(r.seen.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ActivityTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

std::vector<db::Backend> postgres_only() {
    auto all = db::testing::backends();
    std::erase(all, db::Backend::Sqlite);
    return all;
}
INSTANTIATE_TEST_SUITE_P(Backends, ActivityPostgres, ::testing::ValuesIn(postgres_only()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ActivityPostgres); // a run without PostgreSQL

} // namespace
} // namespace teilhabe::activity
