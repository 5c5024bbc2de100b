#pragma once
// SQL of the webhooks: subscriptions, deliveries and their attempts. Every function runs
// inside the caller's transaction.

#include "activity/activity.h"
#include "db/connection.h"
#include "webhooks/webhook.h"

#include <optional>
#include <vector>

namespace teilhabe::webhooks::store {

// Who changed a subscription, for the audit log.
struct Actor {
    std::string actor; // "staff:3", "apikey:2"
    std::string ip;
};

Result<Created> create(db::Connection& c, const WebhookInput& in, const Actor& who,
                       const Clock& clock);
Result<std::vector<Webhook>> list(db::Connection& c);
Result<std::vector<Webhook>> list_active(db::Connection& c);
Result<std::optional<Webhook>> find(db::Connection& c, std::int64_t id);
// NotFound for an unknown id. Created::secret is set only when the secret was rotated.
Result<Created> update(db::Connection& c, std::int64_t id, const WebhookInput& in, const Actor& who,
                       const Clock& clock);
// Deletes the subscription with its deliveries; their queued jobs then find nothing to do.
Result<void> remove(db::Connection& c, std::int64_t id, const Actor& who, const Clock& clock);

// One delivery of `a` to webhook `webhook_id`, and its job, in the caller's transaction. Both
// are unique per (webhook, activity): a repeated call changes nothing.
Result<std::int64_t> enqueue_event(db::Connection& c, std::int64_t webhook_id,
                                   const activity::Activity& a, const Clock& clock);
// A test ping, tried once.
Result<Delivery> enqueue_ping(db::Connection& c, std::int64_t webhook_id, const Clock& clock);

// True when processing of the person is restricted (GDPR Art. 18). An id without a profile
// (erased meanwhile) is not restricted: its activities no longer name anybody.
Result<bool> is_restricted(db::Connection& c, std::int64_t citizen_id);

// What a delivery attempt needs: the delivery, its webhook's URL, secret and state, and the
// activity (none for a ping, or when it is gone).
struct Pending {
    Delivery delivery;
    std::string url;
    std::string secret;
    bool webhook_active{true};
    std::optional<activity::Activity> activity;
};
Result<std::optional<Pending>> load_pending(db::Connection& c, std::int64_t delivery_id);

// Records an attempt and sets the delivery's state (Pending while retries remain).
Result<void> record_attempt(db::Connection& c, std::int64_t delivery_id, const Attempt& a,
                            DeliveryStatus status, const Clock& clock);
// Ends a pending delivery without sending, with the reason.
Result<void> cancel(db::Connection& c, std::int64_t delivery_id, const std::string& reason,
                    const Clock& clock);

Result<std::optional<Delivery>> find_delivery(db::Connection& c, std::int64_t id);
// Newest first; `before` is the last id of the previous page. With each delivery's attempts.
Result<std::vector<Delivery>> recent_deliveries(db::Connection& c, std::int64_t webhook_id,
                                                std::optional<std::int64_t> before, int limit);

// Deletes deliveries (with their attempts) that ended before `cutoff`; returns how many.
Result<std::int64_t> prune(db::Connection& c, TimePoint cutoff);

} // namespace teilhabe::webhooks::store
