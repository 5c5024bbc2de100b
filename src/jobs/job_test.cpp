#include "db/test_support.h"
#include "jobs/job_store.h"
#include "jobs/worker.h"

#include <csignal>
#include <cstdio>
#include <gtest/gtest.h>
#include <mutex>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace teilhabe::jobs {
namespace {

using namespace std::chrono_literals;

class JobTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam(), true, 8);
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
    }
    db::Database& db() { return *m_t->db; }
    std::int64_t enqueue_job(JobSpec spec) {
        auto id = db().transaction(db::TxMode::Write,
                                   [&](db::Connection& c) { return enqueue(c, spec, m_clock); });
        EXPECT_TRUE(id.has_value()) << id.error().message;
        return id.value_or(0);
    }
    Job load(std::int64_t id) {
        auto lease = db().acquire();
        return find(**lease, id).value().value();
    }
    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
};

TEST_P(JobTest, RunsWhenDueAndIsMarkedDone) {
    auto id = enqueue_job({.kind = "k", .due_at = m_clock.now() + 3 * 24h});
    Worker w(db(), m_clock, {.worker_id = "w1"});
    int runs = 0;
    w.register_handler("k", [&](const Job&) -> Result<void> {
        ++runs;
        return {};
    });
    EXPECT_EQ(w.run_once().value(), 0); // not due yet
    m_clock.advance(3 * 24h);            // three days pass in no time
    EXPECT_EQ(w.run_once().value(), 1);
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(load(id).state, JobState::Done);
    EXPECT_EQ(w.run_once().value(), 0);
}

TEST_P(JobTest, FailureIsRetriedWithBackoffUntilMaxAttempts) {
    auto id = enqueue_job({.kind = "flaky", .max_attempts = 3});
    Worker w(db(), m_clock, {.worker_id = "w1"});
    int runs = 0;
    w.register_handler("flaky", [&](const Job&) -> Result<void> {
        ++runs;
        return fail(Error::unavailable("SMTP 451 try later"));
    });
    EXPECT_EQ(w.run_once().value(), 1);
    Job j = load(id);
    EXPECT_EQ(j.state, JobState::Queued);
    EXPECT_EQ(j.last_error.value_or(""), "SMTP 451 try later");
    EXPECT_EQ(w.run_once().value(), 0); // backing off
    m_clock.advance(backoff(1));
    EXPECT_EQ(w.run_once().value(), 1);
    m_clock.advance(backoff(2));
    EXPECT_EQ(w.run_once().value(), 1);
    EXPECT_EQ(load(id).state, JobState::Failed);
    m_clock.advance(24h);
    EXPECT_EQ(w.run_once().value(), 0);
    EXPECT_EQ(runs, 3);
}

TEST_P(JobTest, UniqueKeyKeepsTheFirstJob) {
    auto a = enqueue_job({.kind = "k", .payload = R"({"n":1})", .unique_key = "welcome:42"});
    auto b = enqueue_job({.kind = "k", .payload = R"({"n":2})", .unique_key = "welcome:42"});
    EXPECT_EQ(a, b);
    EXPECT_EQ(load(a).payload, R"({"n":1})");
}

TEST_P(JobTest, UnknownKindFailsInsteadOfVanishing) {
    auto id = enqueue_job({.kind = "nobody.handles.this", .max_attempts = 1});
    Worker w(db(), m_clock, {.worker_id = "w1"});
    EXPECT_EQ(w.run_once().value(), 1);
    EXPECT_EQ(load(id).state, JobState::Failed);
}

TEST_P(JobTest, ExpiredClaimIsTakenOverAndTheOldWorkerCannotFinishIt) {
    auto id = enqueue_job({.kind = "k"});
    std::vector<Job> claimed;
    ASSERT_TRUE(db().transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
                        claimed = TRY(claim(c, "dead-worker", 1, 1min, m_clock));
                        return {};
                    }).has_value());
    ASSERT_EQ(claimed.size(), 1u);
    Worker w(db(), m_clock, {.worker_id = "w2", .lease = 1min});
    int runs = 0;
    w.register_handler("k", [&](const Job&) -> Result<void> {
        ++runs;
        return {};
    });
    EXPECT_EQ(w.run_once().value(), 0); // claim still valid
    m_clock.advance(61s);
    EXPECT_EQ(w.run_once().value(), 1);
    EXPECT_EQ(runs, 1);
    auto late = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return complete(c, id, "dead-worker", m_clock);
    });
    ASSERT_TRUE(late.has_value());
    EXPECT_FALSE(*late);
    EXPECT_EQ(load(id).attempts, 2);
}

TEST_P(JobTest, ConcurrentWorkersRunEachJobOnce) {
    constexpr int jobs = 200;
    for (int i = 0; i < jobs; ++i)
        enqueue_job({.kind = "count", .payload = std::to_string(i)});
    std::mutex mu;
    std::multiset<std::string> seen;
    auto handler = [&](const Job& j) -> Result<void> {
        std::lock_guard lock(mu);
        seen.insert(j.payload);
        return {};
    };
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        workers.push_back(std::make_unique<Worker>(
            db(), m_clock, WorkerOptions{.worker_id = "w" + std::to_string(i), .batch = 5}));
        workers.back()->register_handler("count", handler);
    }
    for (auto& w : workers)
        threads.emplace_back([&w] { ASSERT_TRUE(w->run_until_idle().has_value()); });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(jobs));
    for (const auto& p : seen)
        EXPECT_EQ(seen.count(p), 1u) << "job " << p << " ran twice";
}

// Kill -9 a worker process while it runs a job: the job runs again after the claim expires,
// exactly once more, and is then done.
TEST_P(JobTest, KilledWorkerJobRunsAgainOnce) {
    ASSERT_TRUE(db().transaction(db::TxMode::Write, [](db::Connection& c) -> Result<void> {
                        TRY(c.exec_script("CREATE TABLE crash_marks (job_id BIGINT, mode TEXT)"));
                        return {};
                    }).has_value());
    auto id = enqueue_job({.kind = "test.mark"});
    auto start_ms = m_clock.now_ms();
    auto run_fixture = [&](std::int64_t now_ms, const char* mode, bool kill_it) {
        int out[2];
        EXPECT_EQ(::pipe(out), 0);
        pid_t pid = ::fork();
        if (pid == 0) {
            ::dup2(out[1], 1);
            ::close(out[0]);
            auto now = std::to_string(now_ms);
            ::execl(TEILHABE_JOB_CRASH_FIXTURE, TEILHABE_JOB_CRASH_FIXTURE, m_t->url.c_str(),
                    now.c_str(), mode, nullptr);
            ::_exit(127);
        }
        ::close(out[1]);
        FILE* f = ::fdopen(out[0], "r");
        char line[128] = {};
        bool got = std::fgets(line, sizeof line, f) != nullptr;
        if (kill_it)
            ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        std::fclose(f);
        return std::make_pair(got ? std::string(line) : std::string(), status);
    };
    auto [first, st1] = run_fixture(start_ms, "hang", true);
    EXPECT_EQ(first, "CLAIMED " + std::to_string(id) + "\n");
    EXPECT_TRUE(WIFSIGNALED(st1));
    EXPECT_EQ(load(id).state, JobState::Running);

    auto [early, st2] = run_fixture(start_ms + 60'000, "finish", false); // claim still held
    EXPECT_EQ(early, "RAN 0\n");
    auto [again, st3] = run_fixture(start_ms + 6 * 60'000, "finish", false); // lease expired
    EXPECT_EQ(again, "RAN 1\n");
    auto [after, st4] = run_fixture(start_ms + 60 * 60'000, "finish", false);
    EXPECT_EQ(after, "RAN 0\n");

    Job j = load(id);
    EXPECT_EQ(j.state, JobState::Done);
    EXPECT_EQ(j.attempts, 2);
    auto marks = db().acquire().value()->query("SELECT mode FROM crash_marks ORDER BY mode");
    ASSERT_TRUE(marks.has_value());
    ASSERT_EQ(marks->rows.size(), 2u);
    EXPECT_EQ(marks->rows[0].get_text(0), "finish");
    EXPECT_EQ(marks->rows[1].get_text(0), "hang");
}

TEST(Backoff, GrowsAndIsCapped) {
    EXPECT_EQ(backoff(1), 30s);
    EXPECT_EQ(backoff(2), 60s);
    EXPECT_EQ(backoff(3), 120s);
    EXPECT_EQ(backoff(50), 6h);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

// Row locks: on SQLite, with one writer at a time, another worker's claim cannot even start
// while a handler's long transaction runs, so hold() has nothing to add there.
class JobHoldTest : public JobTest {};

std::vector<db::Backend> row_lock_backends() {
    std::vector<db::Backend> out;
    for (auto b : db::testing::backends())
        if (b != db::Backend::Sqlite)
            out.push_back(b);
    return out;
}

TEST_P(JobHoldTest, AHeldJobIsNotTakenOverWhenItsLeaseRunsOut) {
    auto id = enqueue_job({.kind = "long"});
    auto first = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return claim(c, "w1", 1, 1min, m_clock);
    });
    ASSERT_TRUE(first && first->size() == 1);
    auto lease = db().acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE((*lease)->begin(true));
    ASSERT_TRUE(hold(**lease, id)); // the handler's long transaction
    m_clock.advance(5min);          // the lease ran out meanwhile
    auto second = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return claim(c, "w2", 1, 1min, m_clock);
    });
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_TRUE(second->empty());
    ASSERT_TRUE((*lease)->commit());
    // Released: now an expired claim is taken over as before.
    auto third = db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return claim(c, "w2", 1, 1min, m_clock);
    });
    ASSERT_TRUE(third && third->size() == 1);
}

INSTANTIATE_TEST_SUITE_P(RowLocks, JobHoldTest, ::testing::ValuesIn(row_lock_backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(JobHoldTest);

} // namespace
} // namespace teilhabe::jobs
