#pragma once
// What happens to a campaign and its recipients when staff change it: scheduling through the
// job table, starting (the audience becomes outbox rows in the same transaction as the change
// of state), pausing, resuming, cancelling, and finishing when every recipient is done. Every
// function runs inside the caller's transaction.

#include "campaigns/campaign_store.h"

namespace teilhabe::campaigns {

inline constexpr const char* kStartJob = "campaign.start";
inline constexpr const char* kWatchJob = "campaign.watch";

// Creates a draft; with scheduled_at, schedules it as well (it must then be ready).
Result<Campaign> create(db::Connection& c, const CampaignInput& in, const store::Actor& who,
                        const Clock& clock);
// Changes a draft, or schedules/unschedules it through scheduled_at.
Result<Campaign> change(db::Connection& c, std::int64_t id, const CampaignInput& in,
                        const store::Actor& who, const Clock& clock);
// Starts a draft or scheduled campaign now.
Result<Campaign> send_now(db::Connection& c, std::int64_t id, const store::Actor& who,
                          const Clock& clock);
// Pause, resume, cancel, unschedule.
Result<Campaign> act(db::Connection& c, std::int64_t id, Action a, const store::Actor& who,
                     const Clock& clock);

// Job handlers' bodies: start a campaign whose time has come (nothing when it was unscheduled,
// cancelled or moved meanwhile); finish a sending campaign whose recipients are all done, or
// look again later.
Result<void> run_start(db::Connection& c, std::int64_t id, const Clock& clock);
Result<void> run_watch(db::Connection& c, std::int64_t id, const Clock& clock);

} // namespace teilhabe::campaigns
