#pragma once
// SQL of the job table.

#include "db/connection.h"
#include "jobs/job.h"

#include <vector>

namespace teilhabe::jobs {

// Inside the caller's transaction, so a job is queued exactly when the change that asks for
// it commits. Returns the job id (the existing one for a repeated unique_key).
Result<std::int64_t> enqueue(db::Connection& c, const JobSpec& spec, const Clock& clock);

// Claims up to `limit` due jobs for `worker_id` until now + lease: queued jobs whose time has
// come, and running jobs whose lease expired (their worker died).
Result<std::vector<Job>> claim(db::Connection& c, const std::string& worker_id, int limit,
                               std::chrono::milliseconds lease, const Clock& clock);

// Only the worker holding the claim may finish it (a claim that expired and was taken by
// another worker is not touched): returns false when the claim was lost.
Result<bool> complete(db::Connection& c, std::int64_t id, const std::string& worker_id,
                      const Clock& clock);
Result<bool> fail_attempt(db::Connection& c, const Job& job, const std::string& worker_id,
                          const std::string& error, const Clock& clock);

Result<std::optional<Job>> find(db::Connection& c, std::int64_t id);

// Locks the job's row for the rest of the caller's transaction, so that no other worker claims
// the job — not even after its lease ran out — while a long transaction of its handler runs
// (claims skip locked rows). SQLite has one writer at a time, so there it does nothing more.
Result<void> hold(db::Connection& c, std::int64_t id);
// The earliest due time of a queued job or an expiring claim (to sleep until then).
Result<std::optional<TimePoint>> next_due(db::Connection& c);

} // namespace teilhabe::jobs
