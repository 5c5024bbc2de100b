#include "segments/jobs.h"

#include "segments/membership.h"
#include "segments/segment_store.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace teilhabe::segments {

Result<void> run_compute(db::Database& db, const Clock& clock, std::int64_t segment_id,
                         std::int64_t version, jobs::ProgressBoard* progress) {
    auto total = TRY(db.transaction(db::TxMode::Read, [](db::Connection& c) -> Result<std::int64_t> {
        return TRY(c.query_one("SELECT COUNT(*) FROM citizens")).get_int(0);
    }));
    auto key = fmt::format("segment:{}", segment_id);
    std::int64_t done = 0;
    for (;;) {
        // One chunk per transaction: on SQLite a request that writes waits for one chunk only.
        auto chunk = TRY(db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return compute_chunk(c, segment_id, version, clock);
        }));
        if (!chunk.more)
            break;
        done += chunk.done;
        if (progress)
            progress->set(key, {std::min(done, total), total});
    }
    if (progress)
        progress->clear(key);
    return {};
}

Result<int> run_rechecks(db::Database& db, const Clock& clock) {
    RuleCache cache;
    int total = 0;
    for (;;) {
        auto n = TRY(db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return recheck_due(c, clock, cache);
        }));
        total += n;
        if (n == 0)
            return total;
    }
}

void register_jobs(jobs::Worker& worker, db::Database& db, const Clock& clock) {
    worker.register_handler(store::kComputeJob, [&worker, &db, &clock](const jobs::Job& job) -> Result<void> {
        auto p = nlohmann::json::parse(job.payload, nullptr, false);
        if (!p.is_object() || !p.contains("segment_id") || !p.contains("version"))
            return fail(Error::invalid("segments.compute needs segment_id and version"));
        return run_compute(db, clock, p["segment_id"].get<std::int64_t>(), p["version"].get<std::int64_t>(),
                           &worker.progress());
    });
    worker.register_handler(store::kRecheckJob, [&db, &clock](const jobs::Job&) -> Result<void> {
        TRY(run_rechecks(db, clock));
        return {};
    });
}

} // namespace teilhabe::segments
