#include "campaigns/click_store.h"

#include "activity/activity_store.h"
#include "consent/consent_store.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <map>
#include <unordered_map>

namespace teilhabe::campaigns::store {

namespace {

// What the checks looked up, kept for one transaction (the recorder's batch): a person or a
// campaign that clicks repeat is looked up once per batch, not once per click. Valid only in
// the transaction that filled it (nothing can change in between).
struct ClickChecks {
    std::unordered_map<std::int64_t, bool> person_tracked; // exists, consents, not restricted
    std::unordered_map<std::int64_t, bool> campaign_exists;
};

// Whether the click counts: its campaign exists, and its person still exists, still consents to
// tracking and is not restricted (withdrawal counts at once, even for a mail sent before).
Result<bool> counts(db::Connection& c, const TrackedLink& link, ClickChecks& memo) {
    auto campaign = memo.campaign_exists.find(link.campaign_id);
    if (campaign == memo.campaign_exists.end()) {
        bool exists = !TRY(c.query("SELECT 1 FROM campaigns WHERE id = ?", {link.campaign_id})).rows.empty();
        campaign = memo.campaign_exists.emplace(link.campaign_id, exists).first;
    }
    if (!campaign->second)
        return false;
    auto person = memo.person_tracked.find(link.citizen_id);
    if (person == memo.person_tracked.end())
        person = memo.person_tracked.emplace(link.citizen_id, TRY(consent::store::tracking_allowed(c, link.citizen_id)))
                     .first;
    return person->second;
}

// A JSON string as nlohmann::json's dump() writes it: text of printable ASCII other than '"'
// and '\\' (an address, a topic key: nearly always) is copied as it is; anything else goes to
// nlohmann for its escapes (and its refusal of broken UTF-8).
void append_json_string(std::string& out, const std::string& text) {
    bool plain = std::all_of(text.begin(), text.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
    });
    if (!plain) {
        out += nlohmann::json(text).dump();
        return;
    }
    out.push_back('"');
    out += text;
    out.push_back('"');
}

activity::Activity click_activity(const TrackedLink& link, TimePoint at) {
    activity::Activity a;
    a.type = "email.clicked";
    a.citizen_id = link.citizen_id;
    a.actor = fmt::format("citizen:{}", link.citizen_id);
    a.object = link.topic.empty() ? fmt::format("campaign:{}", link.campaign_id) : "topic:" + link.topic;
    // {"campaign_id":…,"topic":…,"url":…} as nlohmann::json would write it (keys in order), built
    // without a JSON document: this runs for every click.
    a.props.clear(); // "{}" by default
    a.props.reserve(48 + link.topic.size() + link.url.size());
    fmt::format_to(std::back_inserter(a.props), R"({{"campaign_id":{},)", link.campaign_id);
    if (!link.topic.empty()) {
        a.props += R"("topic":)";
        append_json_string(a.props, link.topic);
        a.props.push_back(',');
    }
    a.props += R"("url":)";
    append_json_string(a.props, link.url);
    a.props.push_back('}');
    a.occurred_at = at;
    return a;
}

// A campaign's clicks are its activities "email.clicked" (only Teilhabe writes that type: the
// API refuses email.* from others). Found through the partial index activities_clicks on the
// campaign id in props (migration 0025), with the same expression: SQLite's json_extract, or
// PostgreSQL's jsonb text compared as text.
struct ClickSql {
    std::string campaign; // "… = ?" for the campaign id
    std::string url;
    std::string topic;
};

ClickSql click_sql(db::Backend b) {
    if (b == db::Backend::Sqlite)
        return {"type = 'email.clicked' AND json_extract(props, '$.campaign_id') = ?", "json_extract(props, '$.url')",
                "COALESCE(json_extract(props, '$.topic'), '')"};
    return {"type = 'email.clicked' AND (props::jsonb ->> 'campaign_id') = CAST(? AS TEXT)", "(props::jsonb ->> 'url')",
            "COALESCE(props::jsonb ->> 'topic', '')"};
}

} // namespace

Result<bool> record_click(db::Connection& c, const TrackedLink& link, TimePoint at, const Clock& clock) {
    ClickChecks once;
    if (!TRY(counts(c, link, once)))
        return false;
    TRY(activity::append(c, click_activity(link, at), clock));
    return true;
}

Result<std::size_t> record_clicks(db::Connection& c, const std::vector<Click>& clicks, const Clock& clock) {
    ClickChecks memo; // one look-up per person and campaign of the batch
    std::vector<const Click*> recorded;
    recorded.reserve(clicks.size());
    for (const auto& click : clicks)
        if (TRY(counts(c, click.link, memo)))
            recorded.push_back(&click);
    std::vector<activity::Activity> activities;
    activities.reserve(recorded.size());
    for (const auto* click : recorded)
        activities.push_back(click_activity(click->link, click->at));
    TRY(activity::append_all(c, std::move(activities), clock));
    return recorded.size();
}

Result<std::vector<LinkClicks>> clicks_per_link(db::Connection& c, std::int64_t campaign_id) {
    auto q = click_sql(c.backend());
    auto rows = TRY(c.query(fmt::format("SELECT {0}, {1}, COUNT(*), COUNT(DISTINCT citizen_id) FROM activities WHERE {2} "
                                        "GROUP BY {0}, {1} ORDER BY COUNT(*) DESC, {0}",
                                        q.url, q.topic, q.campaign),
                            {campaign_id}));
    std::vector<LinkClicks> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_text(0), r.get_text(1), r.get_int(2), r.get_int(3)});
    return out;
}

Result<std::map<std::string, std::int64_t>> people_per_topic(db::Connection& c, std::int64_t campaign_id) {
    auto q = click_sql(c.backend());
    auto rows = TRY(c.query(fmt::format("SELECT {0}, COUNT(DISTINCT citizen_id) FROM activities WHERE {1} AND {0} <> '' "
                                        "GROUP BY {0} ORDER BY {0}",
                                        q.topic, q.campaign),
                            {campaign_id}));
    std::map<std::string, std::int64_t> out;
    for (const auto& r : rows.rows)
        out[r.get_text(0)] = r.get_int(1);
    return out;
}

Result<std::int64_t> people_clicked(db::Connection& c, std::int64_t campaign_id) {
    auto q = click_sql(c.backend());
    return TRY(c.query_one(fmt::format("SELECT COUNT(DISTINCT citizen_id) FROM activities WHERE {}", q.campaign),
                           {campaign_id}))
        .get_int(0);
}

} // namespace teilhabe::campaigns::store
