#pragma once
// The campaigns' durable jobs: campaign.start (a scheduled campaign whose time has come) and
// campaign.watch (finish a campaign when all its recipients are done).

#include "db/database.h"
#include "jobs/worker.h"

namespace teilhabe::delivery {
class Wakeup;
}

namespace teilhabe::campaigns {

// `mail_wakeup`: told when a scheduled campaign started, so its mail goes out at once.
void register_jobs(jobs::Worker& worker, db::Database& db, const Clock& clock,
                   const delivery::Wakeup* mail_wakeup = nullptr);

} // namespace teilhabe::campaigns
