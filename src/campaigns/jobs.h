#pragma once
// The campaigns' durable jobs: campaign.start (a scheduled campaign whose time has come) and
// campaign.watch (finish a campaign when all its recipients are done).

#include "db/database.h"
#include "jobs/worker.h"

namespace teilhabe::campaigns {

void register_jobs(jobs::Worker& worker, db::Database& db, const Clock& clock);

} // namespace teilhabe::campaigns
