#include "campaigns/click_store.h"

#include "activity/activity_store.h"
#include "consent/consent_store.h"

#include <fmt/format.h>

namespace teilhabe::campaigns::store {

Result<bool> record_click(db::Connection& c, const TrackedLink& link, TimePoint at, const Clock& clock,
                          ClickChecks* checks) {
    ClickChecks local;
    auto& memo = checks ? *checks : local;
    auto campaign = memo.campaign_exists.find(link.campaign_id);
    if (campaign == memo.campaign_exists.end()) {
        bool exists = !TRY(c.query("SELECT 1 FROM campaigns WHERE id = ?", {link.campaign_id})).rows.empty();
        campaign = memo.campaign_exists.emplace(link.campaign_id, exists).first;
    }
    if (!campaign->second)
        return false;
    // Consent given when the mail went out may have been withdrawn since: withdrawal counts at
    // once. tracking_allowed() also answers no for a person who is gone or restricted.
    auto person = memo.person_tracked.find(link.citizen_id);
    if (person == memo.person_tracked.end())
        person = memo.person_tracked.emplace(link.citizen_id, TRY(consent::store::tracking_allowed(c, link.citizen_id)))
                     .first;
    if (!person->second)
        return false;
    auto now = at;
    TRY(c.execute("INSERT INTO campaign_clicks (campaign_id, citizen_id, url, topic_key, clicked_at) "
                  "VALUES (?, ?, ?, ?, ?)",
                  {link.campaign_id, link.citizen_id, link.url, link.topic, to_unix_ms(now)}));
    activity::Activity a;
    a.type = "email.clicked";
    a.citizen_id = link.citizen_id;
    a.actor = fmt::format("citizen:{}", link.citizen_id);
    a.object = link.topic.empty() ? fmt::format("campaign:{}", link.campaign_id) : "topic:" + link.topic;
    nlohmann::json props{{"campaign_id", link.campaign_id}, {"url", link.url}};
    if (!link.topic.empty())
        props["topic"] = link.topic;
    a.props = props.dump();
    a.occurred_at = now;
    TRY(activity::append(c, std::move(a), clock));
    return true;
}

Result<std::vector<LinkClicks>> clicks_per_link(db::Connection& c, std::int64_t campaign_id) {
    auto rows = TRY(c.query("SELECT url, topic_key, COUNT(*), COUNT(DISTINCT citizen_id) FROM campaign_clicks "
                            "WHERE campaign_id = ? GROUP BY url, topic_key ORDER BY COUNT(*) DESC, url",
                            {campaign_id}));
    std::vector<LinkClicks> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_text(0), r.get_text(1), r.get_int(2), r.get_int(3)});
    return out;
}

} // namespace teilhabe::campaigns::store
