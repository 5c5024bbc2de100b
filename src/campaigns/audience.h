#pragma once
// Who receives a campaign, and its rows in the outbox: the confirmed subscribers of its topics
// (and/or the members of its segment, see audience.cpp)
// minus suppressed and restricted people, each queued once (the outbox is unique per campaign
// and person). Every function runs inside the caller's transaction.

#include "campaigns/campaign.h"
#include "db/connection.h"

namespace teilhabe::campaigns {

// How many people the campaign would reach now (the editor shows it before sending).
Result<std::int64_t> count_audience(db::Connection& c, const Campaign& k);
// The first person who would receive it (to preview it as somebody real).
Result<std::optional<std::int64_t>> first_of_audience(db::Connection& c, const Campaign& k);
// Refuses a campaign whose topics have gone meanwhile.
Result<void> check_audience(db::Connection& c, const Campaign& k);
// Queues every recipient; returns how many.
Result<std::int64_t> queue_recipients(db::Connection& c, const Campaign& k, const Clock& clock);
// Recipients not yet handed to the mail server are cancelled.
Result<void> cancel_recipients(db::Connection& c, std::int64_t campaign_id, const Clock& clock);
// The segments a campaign can be narrowed to, with their live member count (the editor's choice).
struct SegmentChoice {
    std::int64_t id{0};
    std::string name;
    std::int64_t members{0};
};
Result<std::vector<SegmentChoice>> segment_choices(db::Connection& c);
Result<std::optional<SegmentChoice>> find_segment_choice(db::Connection& c, std::int64_t id);
// Recipients not yet in a terminal state.
Result<std::int64_t> open_recipients(db::Connection& c, std::int64_t campaign_id);

} // namespace teilhabe::campaigns
