// The import of an uploaded file as a durable job. The rows are counted first (so that the
// admin screen can show "1,000 of 5,000"), then imported all or nothing in one transaction,
// which also marks the run done — the import and its record commit together. While that
// transaction runs it holds the job's row (jobs::hold), so no other worker takes the job over
// when its lease runs out during a long import.

#include "imports/import_job.h"

#include "db/dialect.h"
#include "imports/import_run_store.h"
#include "jobs/job_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sstream>

namespace teilhabe::imports {

namespace {

Result<std::int64_t> run_id_of(const jobs::Job& job) {
    auto payload = nlohmann::json::parse(job.payload, nullptr, false);
    if (!payload.is_object() || !payload.contains("run_id") ||
        !payload["run_id"].is_number_integer())
        return fail(Error::internal("import job without a run_id: " + job.payload));
    return payload["run_id"].get<std::int64_t>();
}

// Rows of the file, read once without writing anything; InvalidArgument for a file that cannot
// be read (the import would refuse it the same way).
Result<std::int64_t> count_rows(const std::string& content) {
    std::istringstream in(content);
    auto reader = TRY(CsvReader::open(in));
    std::int64_t n = 0;
    while (TRY(reader.next()))
        ++n;
    return n;
}

Result<void> finish(db::Database& db, std::int64_t id, RunState state, const ImportReport* report,
                    const std::string& error, const Clock& clock) {
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        TRY(store::finish_run(c, id, state, report, error, clock));
        TRY(store::prune_runs(c, clock));
        return {};
    });
}

ImportOptions options_for(db::Database& db, const Clock& clock, jobs::ProgressBoard& board,
                          const jobs::Job& job, std::int64_t id, const store::RunInput& input,
                          std::int64_t total) {
    ImportOptions o;
    o.mode = ImportOptions::Mode::Apply;
    o.mapping = input.mapping;
    std::string key = import_job_key(id);
    o.progress = [&db, &board, key, id, total](std::uint64_t, std::int64_t rows) {
        board.set(key, {rows, total});
        if (!db::dialect::concurrent_writers(db.backend()))
            return; // SQLite: this process's board is all there is until the import ends
        auto r = db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return store::record_progress(c, id, rows);
        });
        if (!r)
            spdlog::warn("import {}: progress not recorded: {}", id, r.error().message);
    };
    o.on_begin = [id, job_id = job.id](db::Connection& c) -> Result<void> {
        TRY(jobs::hold(c, job_id));
        auto state = TRY(store::run_state(c, id));
        if (!state || is_final(*state))
            return fail(Error::conflict("the import has ended already"));
        return {};
    };
    o.before_commit = [id, &clock](db::Connection& c, const ImportReport& report) {
        return store::finish_run(c, id, RunState::Done, &report, "", clock);
    };
    return o;
}

} // namespace

Result<void> run_import_job(db::Database& db, const Clock& clock, jobs::ProgressBoard& board,
                            const jobs::Job& job) {
    auto id = TRY(run_id_of(job));
    auto input = TRY(db.transaction(db::TxMode::Read,
                                    [&](db::Connection& c) { return store::load_input(c, id); }));
    if (!input || is_final(input->state))
        return {}; // ended by an earlier attempt
    auto total = count_rows(input->content);
    if (!total)
        return finish(db, id, RunState::Failed, nullptr, total.error().message, clock);
    TRY(db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::mark_running(c, id, *total, clock);
    }));
    auto key = import_job_key(id);
    board.set(key, {0, *total});
    std::istringstream in(input->content);
    auto report = import_citizens(db, in, options_for(db, clock, board, job, id, *input, *total),
                                  input->who, clock);
    board.clear(key);
    if (!report) {
        const auto& e = report.error();
        if (e.code == ErrorCode::Conflict)
            return {};                            // another attempt finished it meanwhile
        if (e.code == ErrorCode::InvalidArgument) // the file or the mapping cannot be used
            return finish(db, id, RunState::Failed, nullptr, e.message, clock);
        if (job.attempts >= job.max_attempts)
            TRY(finish(db, id, RunState::Failed, nullptr,
                       "The database failed on every attempt: " + e.message, clock));
        return fail(e);
    }
    if (!report->applied) // rows were refused: nothing was written
        return finish(db, id, RunState::Refused, &*report, "", clock);
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        TRY(store::prune_runs(c, clock));
        return {};
    });
}

void register_import_jobs(jobs::Worker& worker, db::Database& db, const Clock& clock) {
    worker.register_handler(kImportJobKind, [&worker, &db, &clock](const jobs::Job& job) {
        return run_import_job(db, clock, worker.progress(), job);
    });
}

} // namespace teilhabe::imports
