#include "webhooks/message.h"

#include "webhooks/signature.h"
#include "webhooks/webhook.h"

#include <nlohmann/json.hpp>

namespace teilhabe::webhooks {

std::string event_body(const activity::Activity& a) {
    auto props = nlohmann::json::parse(a.props, nullptr, false);
    if (props.is_discarded())
        props = nlohmann::json::object();
    nlohmann::json j{
        {"id", a.id},
        {"type", a.type},
        {"occurred_at", format_iso8601(a.occurred_at)},
        {"recorded_at", format_iso8601(a.recorded_at)},
        {"citizen_id", a.citizen_id ? nlohmann::json(*a.citizen_id) : nlohmann::json(nullptr)},
        {"object", a.object},
        {"data", std::move(props)}};
    return j.dump();
}

std::string ping_body(std::int64_t webhook_id, TimePoint now) {
    nlohmann::json j{{"id", nullptr},
                     {"type", std::string(kPingType)},
                     {"occurred_at", format_iso8601(now)},
                     {"recorded_at", format_iso8601(now)},
                     {"citizen_id", nullptr},
                     {"object", "webhook:" + std::to_string(webhook_id)},
                     {"data", {{"webhook_id", webhook_id}}}};
    return j.dump();
}

std::string message_id(std::int64_t delivery_id) {
    return "msg_" + std::to_string(delivery_id);
}

Result<Message> signed_message(std::string url, std::string_view secret, std::int64_t delivery_id,
                               std::string body, TimePoint now) {
    auto id = message_id(delivery_id);
    auto timestamp = to_unix_ms(now) / 1000;
    auto signature = TRY(sign(secret, id, timestamp, body));
    Message m{std::move(url), {}, std::move(body)};
    m.headers = {{"Content-Type", "application/json"},
                 {"Webhook-Id", id},
                 {"Webhook-Timestamp", std::to_string(timestamp)},
                 {"Webhook-Signature", std::move(signature)}};
    return m;
}

} // namespace teilhabe::webhooks
