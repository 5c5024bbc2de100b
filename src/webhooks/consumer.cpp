#include "webhooks/consumer.h"

#include "webhooks/webhook_store.h"

namespace teilhabe::webhooks {

Result<void> DeliveryConsumer::handle(db::Connection& c, const activity::Activity& a) {
    auto hooks = TRY(store::list_active(c));
    std::erase_if(hooks, [&](const Webhook& w) { return !matches(w, a.type); });
    if (hooks.empty())
        return {};
    if (a.citizen_id && TRY(store::is_restricted(c, *a.citizen_id)))
        return {};
    for (const auto& w : hooks)
        TRY(store::enqueue_event(c, w.id, a, m_clock));
    return {};
}

} // namespace teilhabe::webhooks
