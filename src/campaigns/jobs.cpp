#include "campaigns/jobs.h"

#include "campaigns/lifecycle.h"
#include "delivery/wakeup.h"

#include <nlohmann/json.hpp>

namespace teilhabe::campaigns {

namespace {

Result<std::int64_t> campaign_of(const jobs::Job& job) {
    auto j = nlohmann::json::parse(job.payload, nullptr, false);
    if (!j.is_object() || !j.contains("campaign_id") || !j["campaign_id"].is_number_integer())
        return fail(Error::invalid("the job names no campaign"));
    return j["campaign_id"].get<std::int64_t>();
}

} // namespace

void register_jobs(jobs::Worker& worker, db::Database& db, const Clock& clock,
                   const delivery::Wakeup* mail_wakeup) {
    worker.register_handler(kStartJob, [&db, &clock, mail_wakeup](const jobs::Job& job) -> Result<void> {
        auto id = TRY(campaign_of(job));
        TRY(db.transaction(db::TxMode::Write, [&](db::Connection& c) { return run_start(c, id, clock); }));
        if (mail_wakeup)
            mail_wakeup->notify();
        return {};
    });
    worker.register_handler(kWatchJob, [&db, &clock](const jobs::Job& job) -> Result<void> {
        auto id = TRY(campaign_of(job));
        return db.transaction(db::TxMode::Write, [&](db::Connection& c) { return run_watch(c, id, clock); });
    });
}

} // namespace teilhabe::campaigns
