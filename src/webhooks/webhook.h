#pragma once
// Webhooks out (SPEC "webhooks out (signed) for activities"): other systems of the town
// subscribe to activities and receive each one as a signed POST. A subscription names a URL,
// the activity types it wants and carries a secret made by us; every activity that matches
// becomes one delivery, tried through the job table until the receiver answers 2xx.
// Domain types and rules only: no HTTP, no SQL.

#include "base/clock.h"
#include "base/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::webhooks {

struct Webhook {
    std::int64_t id{0};
    std::string url;
    std::string description;
    // Activity types ("library.loan") or prefixes ("pool.*"); empty = every activity.
    std::vector<std::string> event_types;
    bool active{true};
    std::string created_by;
    TimePoint created_at{};
    TimePoint updated_at{};
};

// The secret is shown once, when it is made (creation or rotation): never part of Webhook.
struct Created {
    Webhook webhook;
    std::string secret;
};

// http and https only, with a host, without user:password (the signature authenticates us;
// credentials in the URL would show in every list) and without a fragment.
Result<void> validate_url(std::string_view url);
// A type or a prefix pattern: "library.loan", "pool.*", "*" is not allowed (leave the list empty).
Result<void> validate_event_type(std::string_view pattern);
bool matches(const Webhook& w, std::string_view activity_type);

// The body of POST (all members) or PATCH (members that are present). Errors name the member,
// for a 422 or the message beside a form field.
enum class InputMode { Create, Patch };
struct WebhookInput {
    std::optional<std::string> url;
    std::optional<std::string> description;
    std::optional<std::vector<std::string>> event_types;
    std::optional<bool> active;
    bool rotate_secret{false}; // PATCH only: a new secret, shown once in the answer
};
Result<WebhookInput> parse_input(const nlohmann::json& body, InputMode mode);
// Event types typed into a form: separated by commas, spaces or new lines.
std::vector<std::string> split_event_types(std::string_view text);

nlohmann::json to_json(const Webhook& w);

enum class DeliveryStatus { Pending, Delivered, Failed, Cancelled };
const char* to_string(DeliveryStatus s);
std::optional<DeliveryStatus> parse_delivery_status(std::string_view s);

struct Attempt {
    TimePoint at{};
    std::optional<int> response_status;
    std::string error;
    std::int64_t duration_ms{0};
};

struct Delivery {
    std::int64_t id{0};
    std::int64_t webhook_id{0};
    std::optional<std::int64_t> activity_id; // none for a test ping
    std::string event_type;
    std::optional<std::int64_t> citizen_id;
    DeliveryStatus status{DeliveryStatus::Pending};
    int attempts{0};
    std::optional<int> response_status;
    std::string last_error;
    TimePoint created_at{};
    std::optional<TimePoint> last_attempt_at;
    std::optional<TimePoint> finished_at;
    std::vector<Attempt> history; // filled where asked for
};

nlohmann::json to_json(const Delivery& d);

// The type of the test ping (POST /api/v1/webhooks/{id}/test).
inline constexpr std::string_view kPingType = "webhook.ping";
// The job kind that delivers, and how often it tries: with jobs::backoff (30 s doubling, at
// most 6 h) twelve attempts span about fifteen hours, so a receiver down for a night still
// gets everything. A ping is tried once: it is a test.
inline constexpr std::string_view kDeliverJob = "webhook.deliver";
inline constexpr int kMaxAttempts = 12;
inline constexpr int kPingAttempts = 1;

} // namespace teilhabe::webhooks
