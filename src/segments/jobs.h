#pragma once
// The segments' durable jobs: segments.compute (a new or edited rule, in chunks of one
// transaction each, with its progress on the worker's board as "segment:<id>") and
// segments.recheck (people whose result changes by time alone).

#include "db/database.h"
#include "jobs/worker.h"

namespace teilhabe::segments {

void register_jobs(jobs::Worker& worker, db::Database& db, const Clock& clock);

// The handlers themselves, for tests and the benchmark.
Result<void> run_compute(db::Database& db, const Clock& clock, std::int64_t segment_id,
                         std::int64_t version, jobs::ProgressBoard* progress = nullptr);
Result<int> run_rechecks(db::Database& db, const Clock& clock);

} // namespace teilhabe::segments
