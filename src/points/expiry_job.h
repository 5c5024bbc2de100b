#pragma once
// Expiry of points as a durable job (DESIGN.md "Durable jobs", no nightly batch): the job
// "points.expiry" expires what is due (ledger::expire_due, each lot a due row of its own) and
// plans its next run at the next lot's expiry, at most an hour ahead. Whichever instance claims
// it does the work; a crash repeats it harmlessly (the expiry transfer's key names the lot).

#include "db/database.h"
#include "jobs/worker.h"

namespace teilhabe::points {

inline constexpr std::string_view kExpiryJob = "points.expiry";

// Expires everything due at now, batch by batch; returns how many expiry transfers it made.
Result<int> run_expiry(db::Database& db, const Clock& clock);

// Registers the handler and plans the first run.
Result<void> register_expiry(jobs::Worker& worker, db::Database& db, const Clock& clock);

} // namespace teilhabe::points
