#pragma once
// The job that imports an uploaded file (import_run.h), run by the worker of `teilhabe serve`.

#include "base/clock.h"
#include "db/database.h"
#include "jobs/worker.h"

namespace teilhabe::imports {

// Registers the handler of kImportJobKind with the worker.
void register_import_jobs(jobs::Worker& worker, db::Database& db, const Clock& clock);

// One attempt at the run named by the job's payload. Idempotent: a run that has ended is left
// as it is. A database failure is returned (the job is tried again, three times in all); a
// file that cannot be read ends the run as failed, since another attempt would not help.
Result<void> run_import_job(db::Database& db, const Clock& clock, jobs::ProgressBoard& board,
                            const jobs::Job& job);

} // namespace teilhabe::imports
