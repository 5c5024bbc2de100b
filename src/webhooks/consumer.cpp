#include "webhooks/consumer.h"

#include "webhooks/webhook_store.h"

#include <algorithm>

namespace teilhabe::webhooks {

Result<const std::vector<Webhook>*> DeliveryConsumer::active(db::Connection& c) {
    if (!m_active)
        m_active = TRY(store::list_active(c));
    return &*m_active;
}

Result<std::optional<std::vector<std::string>>> DeliveryConsumer::wanted_types(db::Connection& c) {
    std::vector<std::string> types;
    for (const auto& w : *TRY(active(c))) {
        // No types (every activity) or a pattern ("pool.*"): every activity is read.
        if (w.event_types.empty())
            return std::optional<std::vector<std::string>>{};
        for (const auto& t : w.event_types) {
            if (t.ends_with(".*"))
                return std::optional<std::vector<std::string>>{};
            if (std::ranges::find(types, t) == types.end())
                types.push_back(t);
        }
    }
    return std::optional<std::vector<std::string>>(std::move(types));
}

Result<void> DeliveryConsumer::handle(db::Connection& c, const activity::Activity& a) {
    std::vector<std::int64_t> hooks;
    for (const auto& w : *TRY(active(c)))
        if (matches(w, a.type))
            hooks.push_back(w.id);
    if (hooks.empty())
        return {};
    if (a.citizen_id && TRY(store::is_restricted(c, *a.citizen_id)))
        return {};
    for (auto id : hooks)
        TRY(store::enqueue_event(c, id, a, m_clock));
    return {};
}

} // namespace teilhabe::webhooks
