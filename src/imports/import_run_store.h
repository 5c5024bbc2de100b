#pragma once
// SQL of import runs (import_run.h). Every function works inside the caller's transaction.

#include "base/clock.h"
#include "citizens/citizen.h"
#include "db/connection.h"
#include "imports/import_run.h"
#include "imports/importer.h"

#include <optional>
#include <vector>

namespace teilhabe::imports::store {

struct NewRun {
    std::string file_name;
    std::string content; // the file's bytes as uploaded
    Mapping mapping;
    citizens::Actor who;
};
// Stores the file and queues the job that imports it, in the caller's transaction: the job
// exists exactly when the run does.
Result<std::int64_t> create_run(db::Connection& c, const NewRun& run, const Clock& clock);
// Without the file's content.
Result<std::optional<ImportRun>> find_run(db::Connection& c, std::int64_t id);
Result<std::vector<ImportRun>> recent_runs(db::Connection& c, int limit);

// What the job needs: the state, the file, the mapping, who uploaded it.
struct RunInput {
    RunState state{RunState::Queued};
    std::string content;
    Mapping mapping;
    citizens::Actor who;
};
Result<std::optional<RunInput>> load_input(db::Connection& c, std::int64_t id);
Result<std::optional<RunState>> run_state(db::Connection& c, std::int64_t id);
Result<void> mark_running(db::Connection& c, std::int64_t id, std::int64_t rows_total,
                          const Clock& clock);
Result<void> record_progress(db::Connection& c, std::int64_t id, std::int64_t rows_done);
// Ends a run that has not ended yet: the report or the reason, and the file is deleted.
Result<void> finish_run(db::Connection& c, std::int64_t id, RunState state,
                        const ImportReport* report, const std::string& error, const Clock& clock);
// Deletes runs that ended longer than kRunRetentionMs ago; returns how many.
Result<std::int64_t> prune_runs(db::Connection& c, const Clock& clock);

} // namespace teilhabe::imports::store
