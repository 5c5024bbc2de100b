#include "db/database.h"
#include "db/migrator.h"
#include "db/sql_text.h"
#include "db/test_support.h"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>

namespace teilhabe::db {
namespace {

class DatabaseTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        auto t = testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
    }
    Database& db() { return *m_t->db; }
    std::unique_ptr<testing::TestDatabase> m_t;
};

TEST(SqlText, RepeatsFixedTextJoinedByCommas) {
    EXPECT_EQ(db::placeholders(0), "");
    EXPECT_EQ(db::placeholders(1), "?");
    EXPECT_EQ(db::placeholders(3), "?, ?, ?");
    EXPECT_EQ(db::repeated("(?, ?)", 2), "(?, ?), (?, ?)");
}

// A multi-row INSERT built from repeated rows stores every row with its own bound values.
TEST_P(DatabaseTest, RepeatedRowsInsertEveryRow) {
    auto done = db().transaction(db::TxMode::Write, [](db::Connection& c) -> Result<void> {
        TRY(c.execute("CREATE TABLE pairs (a BIGINT, b TEXT)"));
        TRY(c.execute("INSERT INTO pairs (a, b) VALUES " + db::repeated("(?, ?)", 3), {1, "x", 2, "y", 3, "z"}));
        return {};
    });
    ASSERT_TRUE(done) << done.error().message;
    auto rows = db().transaction(db::TxMode::Read, [](db::Connection& c) {
        return c.query("SELECT a, b FROM pairs WHERE a IN (" + db::placeholders(2) + ") ORDER BY a", {2, 3});
    });
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->rows.size(), 2u);
    EXPECT_EQ(rows->rows[0].get_text(1), "y");
    EXPECT_EQ(rows->rows[1].get_text(1), "z");
}

TEST_P(DatabaseTest, MigrationsAreAppliedOnceAndRecorded) {
    ManualClock clock;
    auto again = migrate(db(), clock);
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_TRUE(again->applied.empty());
    EXPECT_GE(again->current_version, 1);
    auto rows = db().acquire().value()->query("SELECT count(*) FROM schema_migrations");
    ASSERT_TRUE(rows.has_value());
    EXPECT_EQ(rows->first().get_int(0), static_cast<std::int64_t>(embedded_migrations(GetParam()).size()));
}

TEST_P(DatabaseTest, FailedMigrationLeavesNothingBehind) {
    ManualClock clock;
    std::vector<Migration> ms = embedded_migrations(GetParam());
    ms.push_back({9990, "9990_broken", "CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL;"});
    auto r = migrate(db(), ms, clock);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("9990_broken"), std::string::npos);
    auto lease = db().acquire();
    ASSERT_TRUE(lease.has_value());
    EXPECT_FALSE((*lease)->query("SELECT count(*) FROM half_done").has_value());
    auto v = (*lease)->query_one("SELECT max(version) FROM schema_migrations");
    ASSERT_TRUE(v.has_value());
    EXPECT_LT(v->get_int(0), 9990);
}

TEST_P(DatabaseTest, RoundTripsValuesThroughBoundParameters) {
    auto lease = db().acquire();
    ASSERT_TRUE(lease.has_value());
    auto& c = **lease;
    ASSERT_TRUE(c.exec_script("CREATE TABLE t (a BIGINT, b TEXT, c DOUBLE PRECISION)").has_value());
    std::string tricky = "Robert'); DROP TABLE t;-- äöü ß €";
    ASSERT_TRUE(c.query("INSERT INTO t (a, b, c) VALUES (?, ?, ?)",
                        {std::int64_t{1} << 40, tricky, 2.5})
                    .has_value());
    ASSERT_TRUE(c.query("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", {null(), null(), null()})
                    .has_value());
    auto rows = c.query("SELECT a, b, c FROM t ORDER BY a");
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->rows.size(), 2u);
    // NULLs sort first on SQLite, last on PostgreSQL: find the non-null row.
    const Row& full = rows->rows[0].is_null(0) ? rows->rows[1] : rows->rows[0];
    const Row& empty = rows->rows[0].is_null(0) ? rows->rows[0] : rows->rows[1];
    EXPECT_EQ(full.get_int(0), std::int64_t{1} << 40);
    EXPECT_EQ(full.get_text(1), tricky);
    EXPECT_DOUBLE_EQ(full.get_double(2), 2.5);
    EXPECT_TRUE(empty.is_null(1));
    EXPECT_FALSE(empty.get_opt_text(1).has_value());
}

TEST_P(DatabaseTest, UniqueViolationIsAlreadyExists) {
    auto r = db().transaction(TxMode::Write, [](Connection& c) -> Result<void> {
        TRY(c.query("INSERT INTO departments (key, name_de, name_en, created_at) VALUES (?,?,?,?)",
                    {"vhs", "Volkshochschule", "Adult education", std::int64_t{1}}));
        TRY(c.query("INSERT INTO departments (key, name_de, name_en, created_at) VALUES (?,?,?,?)",
                    {"vhs", "Doppelt", "Twice", std::int64_t{1}}));
        return {};
    });
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::AlreadyExists);
    // The whole transaction was rolled back: not even the first row is there.
    auto n = db().acquire().value()->query_one("SELECT count(*) FROM departments");
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(n->get_int(0), 0);
}

TEST_P(DatabaseTest, ConcurrentWritersAllCommit) {
    constexpr int threads = 8, per_thread = 25;
    std::vector<std::thread> ts;
    std::atomic<int> failures{0};
    for (int t = 0; t < threads; ++t)
        ts.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                auto r = db().transaction(TxMode::Write, [&](Connection& c) -> Result<void> {
                    TRY(c.query("INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?)",
                                {std::int64_t{i}, "thread" + std::to_string(t), "test"}));
                    return {};
                });
                if (!r)
                    ++failures;
            }
        });
    for (auto& t : ts)
        t.join();
    EXPECT_EQ(failures.load(), 0);
    auto n = db().acquire().value()->query_one("SELECT count(*) FROM audit_log");
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(n->get_int(0), threads * per_thread);
}

// A writer that is busy all the time (a consumer catching up) does not starve a request's
// single write: writers take turns in the order they came, so the request waits for at most
// the transaction that is running when it arrives.
// (SQLite only: PostgreSQL writers of different rows do not wait for each other.)
TEST(SqliteWriters, BusyWriterDoesNotStarveAnotherWriter) {
    auto t = testing::make_database(Backend::Sqlite);
    ASSERT_TRUE(t.has_value()) << t.error().message;
    auto& db = *(*t)->db;
    ASSERT_TRUE(db.transaction(TxMode::Write, [](Connection& c) -> Result<void> {
        TRY(c.execute("CREATE TABLE turns (id INTEGER PRIMARY KEY, who TEXT NOT NULL)"));
        return {};
    }));
    std::atomic<bool> stop{false};
    std::thread busy([&] {
        for (int i = 0; i < 5000 && !stop; ++i)
            (void)db.transaction(TxMode::Write, [](Connection& c) -> Result<void> {
                TRY(c.execute("INSERT INTO turns (who) VALUES ('busy')"));
                return {};
            });
    });
    // Let the busy writer get going, then write once.
    while (db.transaction(TxMode::Read, [](Connection& c) {
                 return c.query_one("SELECT COUNT(*) FROM turns");
             })->get_int(0) < 20) {
    }
    auto mine = db.transaction(TxMode::Write, [](Connection& c) -> Result<std::int64_t> {
        return TRY(c.query_one("INSERT INTO turns (who) VALUES ('request') RETURNING id")).get_int(0);
    });
    stop = true;
    busy.join();
    ASSERT_TRUE(mine) << mine.error().message;
    // It got its turn while the busy writer was still going (it used to wait until the end);
    // the exact place depends on scheduling, the order of turns is FairMutex.TurnsGoInTheOrderAsked.
    EXPECT_LT(*mine, 5000);
}

// Whoever asked first gets the mutex next, even against a thread that lets go and asks again at
// once (what a busy writer does).
TEST(FairMutex, TurnsGoInTheOrderAsked) {
    FairMutex m;
    std::vector<char> order;
    std::mutex order_mutex;
    m.lock();
    std::thread waiter([&] {
        m.lock();
        std::lock_guard l(order_mutex);
        order.push_back('w');
        m.unlock();
    });
    while (m.queued() < 2) // the waiter has asked
        std::this_thread::yield();
    m.unlock();
    m.lock(); // asks again at once, after the waiter
    {
        std::lock_guard l(order_mutex);
        order.push_back('b');
    }
    m.unlock();
    waiter.join();
    EXPECT_EQ(order, (std::vector<char>{'w', 'b'}));
}

// A write transaction opened inside another in the same thread must not wait for its own turn.
TEST(FairMutex, KnowsTheThreadWhoseTurnItIs) {
    FairMutex m;
    EXPECT_FALSE(m.held_here());
    m.lock();
    EXPECT_TRUE(m.held_here());
    bool elsewhere = true;
    std::thread([&] { elsewhere = m.held_here(); }).join();
    EXPECT_FALSE(elsewhere);
    m.unlock();
    EXPECT_FALSE(m.held_here());
}

TEST(DatabaseOpen, RejectsUnknownScheme) {
    auto r = Database::open({.url = "mysql://x"});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
}

TEST(DatabaseOpen, UnreachablePostgresIsUnavailableAndHidesPassword) {
    auto r = Database::open({.url = "postgresql://u:topsecret@127.0.0.1:1/db"});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Unavailable);
    EXPECT_EQ(r.error().message.find("topsecret"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& info) { return testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::db
