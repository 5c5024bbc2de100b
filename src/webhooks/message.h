#pragma once
// What one delivery sends: the JSON body and the signed headers (signature.h).
//
// The body names the person by id only. Contact data (e-mail address, name) is never sent: a
// receiver that needs more asks the API with a key of its own, where access is checked and
// audited. `data` is the activity's props as recorded; Teilhabe's own activities put no
// contact data there (citizen.updated names the changed keys, not their values), and systems
// that post activities decide what their props hold.

#include "activity/activity.h"
#include "base/clock.h"
#include "base/error.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace teilhabe::webhooks {

// {"id": activity id, "type", "occurred_at", "recorded_at", "citizen_id", "object", "data"}
std::string event_body(const activity::Activity& a);
// {"id": null, "type": "webhook.ping", "occurred_at": now, "citizen_id": null,
//  "object": "webhook:<id>", "data": {"webhook_id": id}}
std::string ping_body(std::int64_t webhook_id, TimePoint now);

// The same for every attempt of one delivery (Standard Webhooks "webhook-id").
std::string message_id(std::int64_t delivery_id);

struct Message {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};
// Content-Type, Webhook-Id, Webhook-Timestamp (now, in seconds) and Webhook-Signature.
Result<Message> signed_message(std::string url, std::string_view secret, std::int64_t delivery_id,
                               std::string body, TimePoint now);

} // namespace teilhabe::webhooks
