#pragma once
// The report of one campaign (GET /api/v1/campaigns/{id}/report and its screen): recipients
// per state of the outbox, clicks per link and per topic (of people who consented to
// tracking), unsubscribes through the campaign. Runs inside the caller's transaction.

#include "campaigns/campaign.h"
#include "campaigns/click_store.h"
#include "db/connection.h"

#include <map>

namespace teilhabe::campaigns {

struct Report {
    std::int64_t campaign_id{0};
    State state{State::Draft};
    std::int64_t audience{0}; // drafts and scheduled campaigns: who would receive it now
    std::map<std::string, std::int64_t> recipients; // outbox state -> rows; all states present
    std::int64_t total{0};
    std::vector<store::LinkClicks> links;
    std::map<std::string, std::int64_t> clicks_per_topic; // people per topic
    std::int64_t people_clicked{0};
    std::int64_t unsubscribes{0};
};

Result<Report> report(db::Connection& c, const Campaign& k);
nlohmann::json to_json(const Report& r);

} // namespace teilhabe::campaigns
