#pragma once
// The job "webhook.deliver": one attempt of one delivery. Reads what to send in one
// transaction, sends outside any transaction (a slow receiver holds no lock), records the
// attempt in another. 2xx ends the delivery; anything else fails the attempt, and the job
// table retries it with jobs::backoff until the last attempt, after which the delivery is
// `failed`. Delivery is at least once: a receiver drops repeats by their Webhook-Id.

#include "db/database.h"
#include "jobs/job.h"
#include "jobs/worker.h"
#include "webhooks/sender.h"

namespace teilhabe::webhooks {

Result<void> deliver(db::Database& db, const Clock& clock, Sender& sender, const jobs::Job& job);

// Deliveries that ended more than this long ago are deleted (they hold whom an event was
// about; GDPR Art. 5(1)(e) storage limitation). The job plans its own next run, daily.
inline constexpr std::chrono::hours kDeliveryRetention{24 * 30};
Result<std::int64_t> prune_deliveries(db::Database& db, const Clock& clock);

// Registers "webhook.deliver" and "webhook.prune" with the worker and plans the first prune.
// `db`, `clock` and `sender` must outlive the worker.
Result<void> register_handlers(jobs::Worker& worker, db::Database& db, const Clock& clock,
                               Sender& sender);

} // namespace teilhabe::webhooks
