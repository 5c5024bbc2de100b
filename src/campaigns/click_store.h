#pragma once
// SQL of the clicks on tracked links and of the campaign report's click figures. Every function
// runs inside the caller's transaction.

#include "base/clock.h"
#include "campaigns/tracking.h"
#include "db/connection.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace teilhabe::campaigns::store {

// Records the click (and the activity "email.clicked", object "topic:KEY" when the link stands
// for a topic) when the person still exists, still consents to tracking and is not
// restricted; returns whether it was recorded. The redirect happens either way. `at` is when
// the click came in (the recorder writes it a little later).
Result<bool> record_click(db::Connection& c, const TrackedLink& link, TimePoint at, const Clock& clock);

// The same for a batch of clicks, in their order: each person and campaign looked up once per
// batch, then their activities (activity::append_all), several rows per statement on
// PostgreSQL, without the RETURNING of one click at a time; returns how many were recorded.
// A click is its activity: the report counts the activities "email.clicked" of the campaign
// (props campaign_id, url, topic), through an index on the campaign id in props.
struct Click {
    TrackedLink link;
    TimePoint at;
};
Result<std::size_t> record_clicks(db::Connection& c, const std::vector<Click>& clicks, const Clock& clock);

struct LinkClicks {
    std::string url;
    std::string topic;
    std::int64_t clicks{0};
    std::int64_t people{0};
};
Result<std::vector<LinkClicks>> clicks_per_link(db::Connection& c, std::int64_t campaign_id);
// Topic key -> people who clicked a link that stands for it.
Result<std::map<std::string, std::int64_t>> people_per_topic(db::Connection& c, std::int64_t campaign_id);
// People who clicked any link of the campaign.
Result<std::int64_t> people_clicked(db::Connection& c, std::int64_t campaign_id);

} // namespace teilhabe::campaigns::store
