// The import of an uploaded file as a durable job, on both engines, with the worker driven by
// run_until_idle and a ManualClock: progress while it runs, the report when it ends, all or
// nothing, and nothing done twice.

#include "db/test_support.h"
#include "imports/import_job.h"
#include "imports/import_run_store.h"

#include <gtest/gtest.h>

namespace teilhabe::imports {
namespace {

class ImportJobTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        m_worker = std::make_unique<jobs::Worker>(*m_t->db, m_clock,
                                                  jobs::WorkerOptions{.worker_id = "test"});
        register_import_jobs(*m_worker, *m_t->db, m_clock);
    }
    std::int64_t upload(const std::string& csv, Mapping mapping = {}) {
        auto id = m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
            return store::create_run(c, {"buerger.csv", csv, mapping, {"staff:1", "192.0.2.1"}},
                                     m_clock);
        });
        EXPECT_TRUE(id) << id.error().message;
        return id.value_or(0);
    }
    ImportRun run(std::int64_t id) {
        auto r = m_t->db->transaction(db::TxMode::Read,
                                      [&](db::Connection& c) { return store::find_run(c, id); });
        EXPECT_TRUE(r && *r) << (r ? "no such run" : r.error().message);
        return r && *r ? **r : ImportRun{};
    }
    std::int64_t count(const std::string& sql) {
        auto r = m_t->db->transaction(db::TxMode::Read,
                                      [&](db::Connection& c) { return c.query_one(sql); });
        EXPECT_TRUE(r) << r.error().message;
        return r ? r->get_int(0) : -1;
    }
    static std::string people(int n, int bad_at = -1) {
        std::string csv = "E-Mail;Vorname\n";
        for (int i = 1; i <= n; ++i)
            csv += (i == bad_at ? "keine-adresse" : "p" + std::to_string(i) + "@example.org") +
                   ";P" + std::to_string(i) + "\n";
        return csv;
    }

    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
    std::unique_ptr<jobs::Worker> m_worker;
};

TEST_P(ImportJobTest, TheWorkerImportsTheFileAndKeepsTheReportButNotTheFile) {
    auto id = upload(people(3));
    auto queued = run(id);
    EXPECT_EQ(queued.state, RunState::Queued);
    EXPECT_FALSE(queued.rows_total);
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 0);

    EXPECT_EQ(m_worker->run_until_idle().value_or(-1), 1);
    auto done = run(id);
    EXPECT_EQ(done.state, RunState::Done);
    EXPECT_EQ(done.rows_total, 3);
    EXPECT_EQ(done.rows_done, 3);
    EXPECT_EQ(done.report["created"], 3);
    EXPECT_EQ(done.report["applied"], true);
    EXPECT_TRUE(done.finished_at);
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM import_runs WHERE content IS NULL"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE state = 'done'"), 1);
    // Imported as the person who uploaded it.
    EXPECT_EQ(count("SELECT count(*) FROM activities WHERE type = 'citizen.created' AND actor = "
                    "'staff:1'"),
              3);
}

TEST_P(ImportJobTest, OneBadRowAndNothingIsWrittenButTheReportSaysWhy) {
    auto id = upload(people(4, 3));
    ASSERT_TRUE(m_worker->run_until_idle());
    auto refused = run(id);
    EXPECT_EQ(refused.state, RunState::Refused);
    EXPECT_EQ(refused.report["error_count"], 1);
    EXPECT_EQ(refused.report["errors"][0]["line"], 4);
    EXPECT_EQ(refused.report["applied"], false);
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM import_runs WHERE content IS NULL"), 1);
}

TEST_P(ImportJobTest, AFileThatCannotBeUsedFailsAtOnceWithTheReason) {
    auto no_email = upload("Vorname;Nachname\nAnna;Ahrens\n");
    auto bad_map = upload(people(1), {{"Spalte", "district"}});
    ASSERT_TRUE(m_worker->run_until_idle());
    auto a = run(no_email);
    EXPECT_EQ(a.state, RunState::Failed);
    EXPECT_NE(a.error.find("e-mail"), std::string::npos) << a.error;
    EXPECT_EQ(run(bad_map).state, RunState::Failed);
    // Not tried again: another attempt would not help.
    EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE state = 'done'"), 2);
}

// Records, each time the import reports progress, what the board and the table say.
class WatchingBoard final : public jobs::ProgressBoard {
public:
    WatchingBoard(db::Database& db, std::int64_t run_id) : m_db(db), m_run(run_id) {}
    void set(const std::string& key, jobs::Progress p) override {
        ProgressBoard::set(key, p);
        // Another connection, as the admin page of another request would read it.
        auto stored = m_db.transaction(
            db::TxMode::Read, [&](db::Connection& c) { return store::find_run(c, m_run); });
        seen.push_back({p.done, p.total, stored && *stored ? (*stored)->rows_done : -1});
    }
    std::vector<std::array<std::int64_t, 3>> seen; // board done, board total, table rows_done

private:
    db::Database& m_db;
    std::int64_t m_run;
};

TEST_P(ImportJobTest, ProgressIsReportedWhileTheImportRuns) {
    auto id = upload(people(2500));
    WatchingBoard board(*m_t->db, id);
    jobs::Job job;
    job.id = count("SELECT id FROM jobs");
    job.payload = nlohmann::json{{"run_id", id}}.dump();
    job.attempts = 1;
    job.max_attempts = 3;
    ASSERT_TRUE(run_import_job(*m_t->db, m_clock, board, job));
    // Every 1000 rows, and at the end. On PostgreSQL other instances read it from the table;
    // on SQLite the import's transaction holds the only write lock, so the board of this
    // process is what the page shows until the end.
    bool pg = GetParam() == db::Backend::Postgresql;
    using Seen = std::vector<std::array<std::int64_t, 3>>;
    Seen expected = pg ? Seen{{0, 2500, 0}, {1000, 2500, 0}, {2000, 2500, 1000}, {2500, 2500, 2000}}
                       : Seen{{0, 2500, 0}, {1000, 2500, 0}, {2000, 2500, 0}, {2500, 2500, 0}};
    EXPECT_EQ(board.seen, expected);
    EXPECT_FALSE(board.get(import_job_key(id))) << "cleared when the run ends";
    EXPECT_EQ(run(id).rows_done, 2500);
    EXPECT_EQ(run(id).state, RunState::Done);
}

TEST_P(ImportJobTest, ARunThatEndedIsNotImportedAgain) {
    auto id = upload(people(2));
    ASSERT_TRUE(m_worker->run_until_idle());
    auto activities = count("SELECT count(*) FROM activities");
    jobs::Job again;
    again.payload = nlohmann::json{{"run_id", id}}.dump();
    jobs::ProgressBoard board;
    ASSERT_TRUE(run_import_job(*m_t->db, m_clock, board, again));
    EXPECT_EQ(count("SELECT count(*) FROM activities"), activities);
    EXPECT_EQ(run(id).state, RunState::Done);
}

TEST_P(ImportJobTest, EndedRunsAreDeletedAfterThirtyDays) {
    auto old = upload(people(1));
    ASSERT_TRUE(m_worker->run_until_idle());
    m_clock.advance(std::chrono::hours(24 * 31));
    auto recent = upload(people(1));
    ASSERT_TRUE(m_worker->run_until_idle());
    EXPECT_EQ(count("SELECT count(*) FROM import_runs WHERE id = " + std::to_string(old)), 0);
    EXPECT_EQ(run(recent).state, RunState::Done);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportJobTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::imports
