#include "points/expiry_job.h"

#include "jobs/job_store.h"
#include "ledger/ledger_store.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::points {

namespace {

constexpr std::int64_t kHourMs = 3'600'000;

Result<void> plan_next(db::Connection& c, const Clock& clock) {
    auto row = TRY(c.query_one("SELECT MIN(expires_at) FROM ledger_lots WHERE remaining > 0 AND "
                               "expires_at IS NOT NULL"));
    auto now = clock.now_ms();
    auto next = std::min(row.get_opt_int(0).value_or(now + kHourMs), now + kHourMs);
    next = std::max(next, now);
    // One job per planned minute: a repeat of this run does not plan twice.
    auto minute = (next + 59'999) / 60'000 * 60'000;
    TRY(jobs::enqueue(c,
                      {.kind = std::string(kExpiryJob),
                       .due_at = from_unix_ms(minute),
                       .unique_key = fmt::format("{}:{}", kExpiryJob, minute)},
                      clock));
    return {};
}

} // namespace

Result<int> run_expiry(db::Database& db, const Clock& clock) {
    int total = 0;
    for (;;) {
        auto n = TRY(db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return ledger::expire_due(c, clock.now(), 200);
        }));
        total += n;
        if (n < 200)
            return total;
    }
}

Result<void> register_expiry(jobs::Worker& worker, db::Database& db, const Clock& clock) {
    worker.register_handler(std::string(kExpiryJob), [&db, &clock](const jobs::Job&) -> Result<void> {
        TRY(run_expiry(db, clock));
        return db.transaction(db::TxMode::Write,
                              [&](db::Connection& c) { return plan_next(c, clock); });
    });
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto minute = clock.now_ms() / 60'000 * 60'000;
        TRY(jobs::enqueue(c,
                          {.kind = std::string(kExpiryJob),
                           .unique_key = fmt::format("{}:{}", kExpiryJob, minute)},
                          clock));
        return {};
    });
}

} // namespace teilhabe::points
