#include "campaigns/report.h"

#include "campaigns/audience.h"
#include "delivery/outbox_store.h"

namespace teilhabe::campaigns {

namespace {

constexpr std::array kStates{"queued", "claimed", "sent", "bounced", "suppressed", "failed", "cancelled"};

} // namespace

Result<Report> report(db::Connection& c, const Campaign& k) {
    Report r;
    r.campaign_id = k.id;
    r.state = k.state;
    if (k.state == State::Draft || k.state == State::Scheduled)
        r.audience = TRY(count_audience(c, k));
    for (const char* s : kStates)
        r.recipients[s] = 0;
    for (const auto& [state, n] : TRY(delivery::outbox::counts_by_state(c, k.id))) {
        r.recipients[state] = n;
        r.total += n;
    }
    r.links = TRY(store::clicks_per_link(c, k.id));
    r.clicks_per_topic = TRY(store::people_per_topic(c, k.id));
    r.people_clicked = TRY(store::people_clicked(c, k.id));
    r.unsubscribes =
        TRY(c.query_one("SELECT COUNT(DISTINCT citizen_id) FROM campaign_unsubscribes WHERE campaign_id = ?",
                        {k.id}))
            .get_int(0);
    return r;
}

nlohmann::json to_json(const Report& r) {
    nlohmann::json links = nlohmann::json::array();
    for (const auto& l : r.links)
        links.push_back({{"url", l.url},
                         {"topic", l.topic.empty() ? nlohmann::json(nullptr) : nlohmann::json(l.topic)},
                         {"clicks", l.clicks},
                         {"people", l.people}});
    auto n = [&](const char* s) { return r.recipients.at(s); };
    return {{"campaign_id", r.campaign_id},
            {"status", to_string(r.state)},
            {"audience", r.audience},
            {"recipients", r.recipients},
            {"total", r.total},
            // SPEC's words: queued (not yet out), sent (accepted by the mail server), bounced.
            {"queued", n("queued") + n("claimed")},
            {"sent", n("sent")},
            {"bounced", n("bounced")},
            {"suppressed", n("suppressed")},
            {"failed", n("failed")},
            {"cancelled", n("cancelled")},
            {"links", links},
            {"clicks_per_topic", r.clicks_per_topic},
            {"people_clicked", r.people_clicked},
            {"unsubscribes", r.unsubscribes}};
}

} // namespace teilhabe::campaigns
