#include "jobs/job_store.h"

#include "db/dialect.h"

#include <fmt/format.h>

namespace teilhabe::jobs {

namespace {

constexpr const char* kColumns =
    "id, kind, payload, state, due_at, attempts, max_attempts, last_error";

Job from_row(const db::Row& r) {
    Job j;
    j.id = r.get_int(0);
    j.kind = r.get_text(1);
    j.payload = r.get_text(2);
    j.state = parse_state(r.get_text(3)).value_or(JobState::Queued);
    j.due_at = from_unix_ms(r.get_int(4));
    j.attempts = static_cast<int>(r.get_int(5));
    j.max_attempts = static_cast<int>(r.get_int(6));
    j.last_error = r.get_opt_text(7);
    return j;
}

} // namespace

Result<std::int64_t> enqueue(db::Connection& c, const JobSpec& spec, const Clock& clock) {
    if (spec.kind.empty())
        return fail(Error::invalid("job kind is missing"));
    auto now = clock.now_ms();
    auto due = spec.due_at == TimePoint{} ? now : to_unix_ms(spec.due_at);
    auto rows = TRY(c.query(
        "INSERT INTO jobs (kind, payload, unique_key, state, due_at, max_attempts, created_at) "
        "VALUES (?, ?, ?, 'queued', ?, ?, ?) ON CONFLICT (unique_key) DO NOTHING RETURNING id",
        {spec.kind, spec.payload, db::opt(spec.unique_key), due,
         std::int64_t{spec.max_attempts}, now}));
    if (!rows.empty())
        return rows.first().get_int(0);
    auto existing = TRY(c.query_one("SELECT id FROM jobs WHERE unique_key = ?", {*spec.unique_key}));
    return existing.get_int(0);
}

Result<std::vector<Job>> claim(db::Connection& c, const std::string& worker_id, int limit,
                               std::chrono::milliseconds lease, const Clock& clock) {
    auto now = clock.now_ms();
    auto sql = fmt::format(
        "UPDATE jobs SET state = 'running', locked_by = ?, locked_until = ?, attempts = "
        "attempts + 1 WHERE id IN (SELECT id FROM jobs WHERE (state = 'queued' AND due_at <= ?) "
        "OR (state = 'running' AND locked_until <= ?) ORDER BY due_at, id LIMIT ?{}) "
        "RETURNING {}",
        db::dialect::skip_locked(c.backend()), kColumns);
    auto rows = TRY(c.query(sql, {worker_id, now + lease.count(), now, now, std::int64_t{limit}}));
    std::vector<Job> out;
    for (const auto& r : rows.rows)
        out.push_back(from_row(r));
    return out;
}

Result<bool> complete(db::Connection& c, std::int64_t id, const std::string& worker_id,
                      const Clock& clock) {
    auto n = TRY(c.execute("UPDATE jobs SET state = 'done', finished_at = ?, locked_by = NULL, "
                           "locked_until = NULL WHERE id = ? AND state = 'running' AND "
                           "locked_by = ?",
                           {clock.now_ms(), id, worker_id}));
    return n == 1;
}

Result<bool> fail_attempt(db::Connection& c, const Job& job, const std::string& worker_id,
                          const std::string& error, const Clock& clock) {
    auto now = clock.now_ms();
    bool final = job.attempts >= job.max_attempts;
    auto n = TRY(c.execute(
        "UPDATE jobs SET state = ?, due_at = ?, last_error = ?, locked_by = NULL, locked_until = "
        "NULL, finished_at = ? WHERE id = ? AND state = 'running' AND locked_by = ?",
        {final ? "failed" : "queued", now + backoff(job.attempts).count(), error,
         final ? db::Value(now) : db::null(), job.id, worker_id}));
    return n == 1;
}

Result<std::optional<Job>> find(db::Connection& c, std::int64_t id) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM jobs WHERE id = ?", kColumns), {id}));
    if (rows.empty())
        return std::optional<Job>{};
    return std::optional<Job>(from_row(rows.first()));
}

Result<std::optional<TimePoint>> next_due(db::Connection& c) {
    auto row = TRY(c.query_one(
        "SELECT min(t) FROM (SELECT min(due_at) AS t FROM jobs WHERE state = 'queued' UNION ALL "
        "SELECT min(locked_until) AS t FROM jobs WHERE state = 'running') AS due"));
    if (row.is_null(0))
        return std::optional<TimePoint>{};
    return std::optional<TimePoint>(from_unix_ms(row.get_int(0)));
}

Result<void> hold(db::Connection& c, std::int64_t id) {
    TRY(c.query(fmt::format("SELECT id FROM jobs WHERE id = ?{}", db::dialect::for_update(c.backend())),
                {id}));
    return {};
}

} // namespace teilhabe::jobs
